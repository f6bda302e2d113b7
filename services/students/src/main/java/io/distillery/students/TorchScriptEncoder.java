package io.distillery.students;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pretrained encoder as users bring it: a TorchScript export ({@code torch.jit.trace} of a
 * Hugging Face BERT, DistilBERT or RoBERTa) whose {@code forward(input_ids, attention_mask)} takes
 * two int64 {@code [batch, seq]} tensors and returns the last hidden state {@code [batch, seq,
 * hidden]}, alone or first in a tuple. DJL's PyTorch engine loads it with trainable parameters, so
 * the whole encoder is fine-tuned, and writes it back as TorchScript, so an artifact's encoder is
 * read exactly like the user's.
 */
final class TorchScriptEncoder {

  /** The encoder's file name in a user's export directory. */
  static final String USER_FILE = "model.pt";

  /** The fine-tuned encoder's file name in an artifact. */
  static final String ARTIFACT_FILE = "encoder.pt";

  static {
    DjlEnvironment.offline();
  }

  /**
   * A loaded encoder.
   *
   * @param block the TorchScript module as a DJL block, its parameters trainable
   * @param hidden the size of its hidden state
   */
  record Loaded(PtSymbolBlock block, int hidden) {}

  private TorchScriptEncoder() {}

  /**
   * Loads {@code file} into {@code model} (a PyTorch model without a block yet), on the model's
   * device whatever device it was saved from, and checks its signature with one short text.
   *
   * @throws IOException when the file is missing, not TorchScript, or has another signature
   */
  static Loaded load(Model model, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "no "
              + file.getFileName()
              + " in "
              + file.toAbsolutePath().getParent()
              + ": expected the encoder exported with torch.jit.trace and torch.jit.save");
    }
    try {
      model.load(
          file.toAbsolutePath().getParent(),
          file.getFileName().toString(),
          // trainParam: load outside inference mode, so the parameters can take gradients;
          // mapLocation: put the tensors on the model's device, even if saved from another.
          Map.of("trainParam", "true", "mapLocation", "true"));
    } catch (MalformedModelException | EngineException e) {
      throw new IOException(
          file + " is not a TorchScript module (torch.jit.save writes one): " + e.getMessage(), e);
    }
    if (!(model.getBlock() instanceof PtSymbolBlock block)) {
      throw new IOException(file + " did not load as a TorchScript module");
    }
    return new Loaded(block, hiddenSize(block, model.getNDManager(), file));
  }

  private static int hiddenSize(PtSymbolBlock block, NDManager parent, Path file)
      throws IOException {
    var expected =
        file
            + " must take forward(input_ids, attention_mask), both int64 [batch, seq], and return"
            + " the last hidden state [batch, seq, hidden] (alone or first in a tuple)";
    try (NDManager manager = parent.newSubManager()) {
      var ids = manager.zeros(new Shape(1, 2), DataType.INT64);
      var mask = manager.ones(new Shape(1, 2), DataType.INT64);
      NDList out = block.forward(new ParameterStore(manager, false), new NDList(ids, mask), false);
      var shape = out.isEmpty() ? null : out.get(0).getShape();
      if (shape == null || shape.dimension() != 3 || shape.get(0) != 1 || shape.get(1) != 2) {
        throw new IOException(expected + "; it returned " + (shape == null ? "nothing" : shape));
      }
      return Math.toIntExact(shape.get(2));
    } catch (EngineException e) {
      throw new IOException(expected + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code block}'s module, with its current parameters, as a TorchScript file. */
  static void write(PtSymbolBlock block, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      // DJL's own TorchScript writer (torch::jit::Module::save); PtSymbolBlock.saveParameters
      // would prefix it with DJL's framing.
      JniUtils.writeModule(block, out, false);
    }
  }
}
