package dev.modelreg.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleRepoTest {
    @TempDir Path tmp;

    @Test
    void generatesAModflowLikeTreeWithNestedModelsAndBinaries() throws Exception {
        ExampleRepo.Tree t = ExampleRepo.generate(tmp.resolve("repo"), 7, 12, 42L);
        assertThat(t.models()).hasSize(7 + 2).contains("mf6/test001_chd", "mf6/test003_riv/child", "mf6/test006_rch/child");
        assertThat(t.files()).hasSize(7 * 12 + 2 * 4).isSorted().doesNotHaveDuplicates();
        assertThat(onDisk(t.root())).isEqualTo(t.files());
        for (String model : t.models()) {
            assertThat(t.root().resolve(model).resolve("mfsim.nam")).isRegularFile();
            assertThat(Files.readString(t.root().resolve(model).resolve("gwf.nam"))).contains("BEGIN packages");
        }
        assertThat(t.files()).anyMatch(f -> f.contains("/data/arrays/")).anyMatch(f -> f.contains("/data/") && f.endsWith(".txt"));
        long binaries = t.files().stream().filter(f -> !isUtf8(t.root().resolve(f))).count();
        assertThat(binaries).isGreaterThan(7);
        long total = 0;
        for (String f : t.files()) total += Files.size(t.root().resolve(f));
        assertThat(t.totalBytes()).isEqualTo(total);
        assertThat(Files.readAllBytes(t.root().resolve("mf6/test001_chd/gwf.ims")))
                .as("the solver file is a duplicate across models")
                .isEqualTo(Files.readAllBytes(t.root().resolve("mf6/test002_wel/gwf.ims")));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        ExampleRepo.generate(tmp.resolve("a"), 4, 8, 1L);
        ExampleRepo.generate(tmp.resolve("b"), 4, 8, 1L);
        ExampleRepo.generate(tmp.resolve("c"), 4, 8, 2L);
        assertThat(hashes(tmp.resolve("a"))).isEqualTo(hashes(tmp.resolve("b")));
        assertThat(hashes(tmp.resolve("a"))).isNotEqualTo(hashes(tmp.resolve("c")));
        assertThat(hashes(tmp.resolve("a")).keySet()).isEqualTo(hashes(tmp.resolve("c")).keySet());
    }

    @Test
    void rejectsNonsenseSizesAndBoundsBinarySize() throws Exception {
        assertThatThrownBy(() -> ExampleRepo.generate(tmp, 0, 5, 1L)).hasMessageContaining("models");
        assertThatThrownBy(() -> ExampleRepo.generate(tmp, 1, 1, 1L)).hasMessageContaining("filesPerModel");
        ExampleRepo.Tree t = ExampleRepo.generate(tmp.resolve("small"), 3, 20, 5L, 10);
        for (String f : t.files()) {
            if (f.endsWith(".bin")) assertThat(Files.size(t.root().resolve(f))).isBetween(1L, 10L);
        }
    }

    @Test
    void copyToGivesAModelTree() throws Exception {
        Path dest = ExampleRepo.copyTo(tmp.resolve("copy"));
        try (Stream<Path> s = Files.walk(dest)) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("mfsim.nam")).count()).isGreaterThan(0);
        }
    }

    private static java.util.List<String> onDisk(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    private static Map<String, Digest> hashes(Path root) throws Exception {
        Map<String, Digest> out = new TreeMap<>();
        for (String f : onDisk(root)) out.put(f, Digest.sha256Of(Files.readAllBytes(root.resolve(f))));
        return out;
    }

    private static boolean isUtf8(Path p) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
