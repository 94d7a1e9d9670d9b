package dev.modelreg.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push --external: what is refused before anything is written (spec/README.md 3.14), each in one line of its kind. */
class PushExternalTest {
    @TempDir Path tmp;

    Push.Request.Builder request(Path dir, Path layout) throws Exception {
        return Push.Request.builder(dir, Reference.parse("oci-layout:" + layout + ":v1")).name("example")
                .namefile("mfsim.nam").created(CreationTime.parse("2026-01-01T00:00:00Z"));
    }

    static void refused(ThrowingRunnable r, ModelregException.Kind kind, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ModelregException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void badExternalRequestsAreRefusedInOneLineAndWriteNothing() throws Exception {
        Path dir = tmp.resolve("models");
        TestTrees.copyTree(TestTrees.examples(), dir);
        Path layout = tmp.resolve("layout");
        refused(() -> ExternalFiles.of(List.of("../**"), null), ModelregException.Kind.INVALID,
                "--external: '../**' has an empty, '.' or '..' segment (a glob names keys inside the ref)");
        refused(() -> ExternalFiles.of(List.of("/etc/*"), null), ModelregException.Kind.INVALID,
                "--external: '/etc/*' must be a relative pattern of file keys, without control characters");
        refused(() -> ExternalFiles.of(List.of("**/*.bin"), "file:///srv/models"), ModelregException.Kind.INVALID,
                "--external-url-base 'file:///srv/models' is not an http(s) URL without query or fragment");
        refused(() -> ExternalFiles.of(List.of(), "https://files.example/m"), ModelregException.Kind.INVALID,
                "--external-url-base needs --external GLOB");
        refused(() -> Push.run(request(dir, layout).external(ExternalFiles.of(List.of("**/*.nothing"),
                        "https://files.example/m")).build()), ModelregException.Kind.NOT_FOUND,
                "--external '**/*.nothing' matches no file of the models of " + dir);
        refused(() -> Push.run(request(dir, layout).external(ExternalFiles.of(List.of("**/*.bin"), null)).build()),
                ModelregException.Kind.INVALID, "the models of " + dir + ": external file 'ex-gwf-bcf2ss/arrays/botm.bin'"
                        + " has no url: give --external-url-base URL (the URL of a file is URL/KEY)");

        // a registry file pushed byte for byte: an external entry needs its own url, and a hash
        Path registry = tmp.resolve("models.toml");
        Files.writeString(registry, "schema_version = \"1.0\"\n\n[files.\"a/big.bin\"]\nsize = 3\n"
                + "url = \"https://files.example/a/big.bin\"\n\n[files.\"a/mfsim.nam\"]\n"
                + "hash = \"" + TestTrees.sha256("x\n".getBytes()) + "\"\n\n[models]\n\"m/a\" = [\"a/big.bin\", \"a/mfsim.nam\"]\n");
        Path small = tmp.resolve("small");
        TestTrees.write(small, "a/mfsim.nam", "x\n");
        refused(() -> Push.run(request(small, layout).registryFile(registry)
                        .external(ExternalFiles.of(List.of("a/*.bin"), null)).build()), ModelregException.Kind.INVALID,
                registry + ": external file 'a/big.bin' has no hash: a consumer could not verify what its URL serves");
        assertThat(layout).doesNotExist();

        // with a hash and a url, the file need not be in DIR
        Files.writeString(registry, Files.readString(registry).replace("size = 3\n",
                "size = 3\nhash = \"" + TestTrees.sha256("big".getBytes()) + "\"\n"));
        Push.Result r = Push.run(request(small, layout).registryFile(registry)
                .external(ExternalFiles.of(List.of("a/*.bin"), null)).build());
        assertThat(r.files()).isEqualTo(2);
    }
}
