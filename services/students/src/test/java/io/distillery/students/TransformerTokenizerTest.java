package io.distillery.students;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerTokenizerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3, then the words.
  private static final List<String> VOCABULARY =
      List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "rain", "again", "today");

  @Test
  void shouldAddSpecialTokensAndTruncateToMaxLength(@TempDir Path dir) throws IOException {
    var file = dir.resolve("tokenizer.json");
    TinyBertExport.writeTokenizer(file, VOCABULARY);

    try (var tokenizer = TransformerTokenizer.open(file, 4)) {
      assertThat(tokenizer.encode("Rain today")).containsExactly(2, 4, 6, 3);
      assertThat(tokenizer.encode("rain again today, again")).containsExactly(2, 4, 5, 3);
      assertThat(tokenizer.encode("")).containsExactly(2, 3);
    }
  }

  @Test
  void shouldPadToTheLongestTextWithThePadIdAndMaskThePadding(@TempDir Path dir)
      throws IOException {
    var file = dir.resolve("tokenizer.json");
    TinyBertExport.writeTokenizer(file, VOCABULARY);

    try (var tokenizer = TransformerTokenizer.open(file, 8)) {
      var batch = tokenizer.pad(List.of(new long[] {2, 4, 3}, new long[] {2, 4, 5, 6, 3}));

      assertThat(batch.rows()).isEqualTo(2);
      assertThat(batch.width()).isEqualTo(5);
      assertThat(batch.ids()).containsExactly(2, 4, 3, 0, 0, 2, 4, 5, 6, 3);
      assertThat(batch.mask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
    }
  }

  @Test
  void shouldFindThePadIdOfBertAndRobertaTokenizers() throws IOException {
    var configured = JSON.readTree("{\"padding\": {\"pad_id\": 7}, \"added_tokens\": []}");
    var roberta =
        JSON.readTree(
            "{\"padding\": null, \"added_tokens\": [{\"id\": 0, \"content\": \"<s>\"},"
                + " {\"id\": 1, \"content\": \"<pad>\"}]}");
    var bert = JSON.readTree("{\"added_tokens\": [{\"id\": 0, \"content\": \"[PAD]\"}]}");

    assertThat(TransformerTokenizer.padId(configured)).isEqualTo(7);
    assertThat(TransformerTokenizer.padId(roberta)).isEqualTo(1);
    assertThat(TransformerTokenizer.padId(bert)).isEqualTo(0);
  }

  @Test
  void shouldRefuseAMissingOrMalformedTokenizerFile(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> TransformerTokenizer.open(dir.resolve("tokenizer.json"), 8))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no tokenizer.json")
        .hasMessageContaining("save_pretrained");

    var garbage = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 42}");
    assertThatThrownBy(() -> TransformerTokenizer.open(garbage, 8))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a tokenizer.json");
  }
}
