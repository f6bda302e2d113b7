package io.distillery.students.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Hugging Face's {@code BertEmbeddings}: the word embedding of each token plus the embedding of its
 * position (0 for the first token) plus the token-type embedding of segment 0, then LayerNorm and
 * dropout. Input {@code input_ids} int64 {@code [batch, seq]}; output {@code [batch, seq, hidden]}.
 * Only the first {@code seq} rows of the position table are used, as in Hugging Face (DJL's {@code
 * BertBlock} adds the whole table, one reason it cannot take pretrained weights).
 */
final class BertEmbeddingsBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final BertConfig config;
  private final IdEmbedding words;
  private final IdEmbedding positions;
  private final IdEmbedding tokenTypes;
  private final LayerNorm norm;
  private final Dropout dropout;

  BertEmbeddingsBlock(BertConfig config) {
    super(VERSION);
    this.config = config;
    this.words = addChildBlock("word_embeddings", table(config.vocabSize(), config.hidden()));
    this.positions =
        addChildBlock("position_embeddings", table(config.maxPositions(), config.hidden()));
    this.tokenTypes =
        addChildBlock("token_type_embeddings", table(config.typeVocabSize(), config.hidden()));
    this.norm = addChildBlock("LayerNorm", BertLayerBlock.layerNorm(config));
    this.dropout =
        addChildBlock("dropout", Dropout.builder().optRate(config.hiddenDropout()).build());
  }

  IdEmbedding words() {
    return words;
  }

  IdEmbedding positions() {
    return positions;
  }

  IdEmbedding tokenTypes() {
    return tokenTypes;
  }

  LayerNorm norm() {
    return norm;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.head();
    long length = ids.getShape().get(1);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException(
          "input of "
              + length
              + " tokens is longer than the "
              + config.maxPositions()
              + " positions the encoder has");
    }
    // Made on the input's device, so the block runs wherever its input is.
    NDManager manager = ids.getManager();
    NDArray positionIds =
        manager.arange(0f, (float) length, 1f, DataType.INT64, ids.getDevice()).reshape(1, length);
    NDArray typeIds = ids.zerosLike();
    NDArray sum =
        embed(store, words, ids, training, params)
            .add(embed(store, positions, positionIds, training, params))
            .add(embed(store, tokenTypes, typeIds, training, params));
    NDList normed = norm.forward(store, new NDList(sum), training, params);
    return dropout.forward(store, normed, training, params);
  }

  private static NDArray embed(
      ParameterStore store,
      IdEmbedding table,
      NDArray ids,
      boolean training,
      PairList<String, Object> params) {
    return table.forward(store, new NDList(ids), training, params).head();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape hidden = ids.add(config.hidden());
    words.initialize(manager, dataType, ids);
    positions.initialize(manager, dataType, new Shape(1, ids.get(1)));
    tokenTypes.initialize(manager, dataType, ids);
    norm.initialize(manager, dataType, hidden);
    dropout.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hidden())};
  }

  private static IdEmbedding table(int rows, int width) {
    return new IdEmbedding.Builder().setDictionarySize(rows).setEmbeddingSize(width).build();
  }
}
