package dev.modelreg.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The limits of section 14 on what a models.toml and a manifest may hold: one line naming the limit and the thing. */
class LimitsTest {
    static ModelsToml read(String text) throws java.io.IOException {
        return ModelsTomlCodec.read(text.getBytes(UTF_8), "models.toml");
    }

    @Test
    void sizeMessagesNameTheThingTheValueAndTheLimit() {
        assertThatThrownBy(() -> Limits.checkRegistrySize(209_715_200L, "ghcr.io/x/y:v1: config sha256:ab"))
                .hasMessage("ghcr.io/x/y:v1: config sha256:ab is 209715200 bytes, more than the 16777216-byte limit"
                        + " for a models.toml");
        assertThatThrownBy(() -> Limits.checkManifestSize(Limits.MAX_MANIFEST_BYTES + 1L, "r/x:v1: manifest sha256:cd"))
                .hasMessage("r/x:v1: manifest sha256:cd is 4194305 bytes, more than the 4194304-byte limit for a manifest");
        assertThatCode(() -> Limits.checkRegistrySize(Limits.MAX_REGISTRY_BYTES, "x")).doesNotThrowAnyException();
        assertThatCode(() -> Limits.checkManifestSize(Limits.MAX_MANIFEST_BYTES, "x")).doesNotThrowAnyException();
    }

    @Test
    void aModelsTomlOverTheSizeLimitIsRefusedBeforeItIsParsed() {
        byte[] big = new byte[Limits.MAX_REGISTRY_BYTES + 1]; // zeros: not even TOML
        assertThatThrownBy(() -> ModelsTomlCodec.read(big, "blob sha256:x"))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage("blob sha256:x is 16777217 bytes, more than the 16777216-byte limit for a models.toml");
    }

    @Test
    void fileKeysAreBoundedInBytesSegmentLengthAndDepth() throws java.io.IOException {
        String longKey = "d/" + "a".repeat(200) + "/" + "b".repeat(200) + "/" + "c".repeat(200) + "/" + "e".repeat(200)
                + "/" + "f".repeat(200) + ".nam"; // 1,014 bytes: fits
        assertThat(read("[files.\"" + longKey + "\"]\n").files()).containsKey(longKey);
        String tooLong = longKey + "/" + "g".repeat(20);
        assertThatThrownBy(() -> read("[files.\"" + tooLong + "\"]\n"))
                .hasMessageContaining("models.toml: [files] entry '")
                .hasMessageEndingWith("is " + (longKey.length() + 21) + " bytes long, more than the limit of 1024")
                .hasMessageNotContaining("\n");
        String wide = "é".repeat(128) + "x"; // 257 UTF-8 bytes in 129 characters
        assertThatThrownBy(() -> read("[files.\"m/" + wide + "\"]\n"))
                .hasMessageEndingWith("has a 257-byte segment, more than the limit of 255");
        String deep = "a/".repeat(64) + "f"; // 65 segments
        assertThatThrownBy(() -> read("[files.\"" + deep + "\"]\n"))
                .hasMessageEndingWith("has more than 64 segments, the limit");
        assertThat(read("[files.\"" + "a/".repeat(63) + "f\"]\n").files()).hasSize(1);
        assertThatThrownBy(() -> read("[models]\n\"m\" = [\"" + deep + "\"]\n"))
                .hasMessageStartingWith("models.toml: [models] 'm' file 'a/a/");
        assertThatThrownBy(() -> read("[models]\n\"" + "m".repeat(1025) + "\" = []\n"))
                .hasMessageEndingWith("is 1025 bytes long, more than the limit of 1024");
    }

    @Test
    void theNumberOfFilesAndModelsIsBounded() {
        StringBuilder sb = new StringBuilder(20 * (Limits.MAX_FILES + 1));
        for (int i = 0; i <= Limits.MAX_FILES; i++) sb.append("[files.f").append(i).append("]\n");
        assertThatThrownBy(() -> read(sb.toString()))
                .isInstanceOf(RegistryFormatException.class)
                .hasMessage("models.toml lists 1000001 files, more than the limit of 1000000");
        StringBuilder m = new StringBuilder("[models]\n");
        for (int i = 0; i <= Limits.MAX_MODELS; i++) m.append('m').append(i).append(" = []\n");
        assertThatThrownBy(() -> read(m.toString()))
                .hasMessage("models.toml lists 100001 models, more than the limit of 100000");
        StringBuilder e = new StringBuilder("[examples]\n");
        for (int i = 0; i <= Limits.MAX_MODELS; i++) e.append('e').append(i).append(" = []\n");
        assertThatThrownBy(() -> read(e.toString()))
                .hasMessage("models.toml lists 100001 examples, more than the limit of 100000");
    }

    @Test
    void checkLimitsIsWhatAPublisherRunsBeforeWriting() {
        TreeMap<String, FileEntry> files = new TreeMap<>();
        files.put("ok/mfsim.nam", FileEntry.ofHash(Digest.sha256Of(new byte[0])));
        ModelsToml fine = new ModelsToml("1.0", files, new TreeMap<>(Map.of("m", List.of("ok/mfsim.nam"))), new TreeMap<>());
        assertThatCode(() -> ModelsTomlCodec.checkLimits(fine, "out")).doesNotThrowAnyException();
        files.put("x/" + "y".repeat(300), FileEntry.ofHash(Digest.sha256Of(new byte[0])));
        ModelsToml bad = new ModelsToml("1.0", files, new TreeMap<>(), new TreeMap<>());
        assertThatThrownBy(() -> ModelsTomlCodec.checkLimits(bad, "out"))
                .hasMessageEndingWith("has a 300-byte segment, more than the limit of 255");
    }

    @Test
    void aManifestListsAtMostTenThousandLayers() {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"c\",\"digest\":\"sha256:"
                + "0".repeat(64) + "\",\"size\":1},\"layers\":[");
        for (int i = 0; i <= Limits.MAX_LAYERS; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"mediaType\":\"l\",\"digest\":\"sha256:").append("1".repeat(64)).append("\",\"size\":1}");
        }
        byte[] bytes = sb.append("]}").toString().getBytes(UTF_8);
        assertThat(bytes.length).isLessThan(Limits.MAX_MANIFEST_BYTES);
        assertThatThrownBy(() -> Manifest.parse(bytes, "r/x:v1: manifest sha256:ab"))
                .hasMessage("r/x:v1: manifest sha256:ab lists 10001 layers, more than the limit of 10000");
    }
}
