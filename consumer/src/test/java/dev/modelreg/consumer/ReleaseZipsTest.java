package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.GitHubFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release zips and their members go through the one copy: verified like any blob, named like any file. */
class ReleaseZipsTest {
    static final String ZIP = "/releases/download/v1.0/models.zip";

    @TempDir Path tmp;
    GitHubFixture gh;
    Path bootstrap;
    Map<String, String> env;
    final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        gh = GitHubFixture.start(tmp.resolve("gh"));
        files.put("ex1/mfsim.nam", "BEGIN options\nEND options\n".getBytes(StandardCharsets.UTF_8));
        files.put("ex1/gwf/model.dis", ConsumeGitHubTest.bytes(3000, 7));
        files.put("ex1/gwf/deep/k.bin", ConsumeGitHubTest.bytes(70000, 11));
        files.put("ex2/mfsim.nam", "ex2 namefile\n".getBytes(StandardCharsets.UTF_8));
        bootstrap = tmp.resolve("bootstrap.toml");
        Files.writeString(bootstrap, """
                [sources.testmodels]
                repo = "org/models"
                name = "test"
                refs = ["v1.0"]
                """);
        env = new HashMap<>(gh.env());
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
    }

    @AfterEach
    void tearDown() {
        gh.close();
    }

    ModelReg reg() throws IOException {
        return new ModelReg(ModelReg.loadConfig(bootstrap, Map.of()), Settings.from(env));
    }

    /**
     * Publishes release v1.0: models.toml naming every file's URL as models.zip (with its hash when {@code hashes}),
     * and the zip holding {@code members}. Returns the zip's bytes.
     */
    byte[] publish(Map<String, byte[]> members, boolean hashes) throws IOException {
        StringBuilder toml = new StringBuilder();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (var e : members.entrySet()) { // stored, not deflated: a test can find a member's bytes in the zip
                ZipEntry ze = new ZipEntry(e.getKey());
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(e.getValue());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(e.getValue().length);
                ze.setCompressedSize(e.getValue().length);
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        for (var e : files.entrySet()) {
            toml.append("[files.\"").append(e.getKey()).append("\"]\n");
            if (hashes) toml.append("hash = \"").append(Digest.sha256Of(e.getValue()).hex()).append("\"\n");
            toml.append("url = \"https://github.com/org/models").append(ZIP).append("\"\n\n");
        }
        toml.append(ConsumeGitHubTest.models());
        gh.putRelease("org", "models", "v1.0", "models.toml", toml.toString().getBytes(StandardCharsets.UTF_8));
        gh.putRelease("org", "models", "v1.0", "models.zip", zip.toByteArray());
        return zip.toByteArray();
    }

    long zipGets() {
        return gh.requests().stream().filter(q -> q.path().endsWith(ZIP)).count();
    }

    @Test
    void aTamperedMemberNamesItsFileAndTheZipUrl() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>(files);
        byte[] tampered = files.get("ex1/gwf/model.dis").clone();
        tampered[100] ^= 1; // same size, other bytes
        members.put("ex1/gwf/model.dis", tampered);
        publish(members, true);
        Path ws = tmp.resolve("ws");
        assertThatThrownBy(() -> reg().copy("test@v1.0/ex1", ws, false)).satisfies(e -> {
            assertThat(e).isInstanceOf(ConsumerException.class);
            assertThat(((ConsumerException) e).kind()).isEqualTo(ConsumerException.Kind.DIGEST_MISMATCH);
            assertThat(e.getMessage()).doesNotContain("\n")
                    .startsWith("file 'ex1/gwf/model.dis' of test@v1.0 (from " + gh.baseUrl())
                    .contains(ZIP + "): digest mismatch: want " + Digest.sha256Of(files.get("ex1/gwf/model.dis")));
        });
        assertThat(ws).doesNotExist();
        assertThat(tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(tampered).hex())).doesNotExist();
    }

    @Test
    void aCachedZipDamagedOnDiskIsFetchedAgain() throws IOException {
        byte[] zip = publish(files, false); // release mode: the members have no hash, the zip's digest vouches for them
        reg().copy("test@v1.0/ex1", tmp.resolve("a"), false);
        assertThat(zipGets()).isEqualTo(1);
        Path cached = tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(zip).hex());
        byte[] damaged = Files.readAllBytes(cached);
        int at = indexOf(damaged, "ex2 namefile".getBytes(StandardCharsets.UTF_8));
        assertThat(at).as("a member stored as it is").isPositive();
        damaged[at] = 'X';
        Files.write(cached, damaged);

        reg().copy("test@v1.0/ex2", tmp.resolve("b"), false);
        assertThat(tmp.resolve("b/mfsim.nam")).hasBinaryContent(files.get("ex2/mfsim.nam"));
        assertThat(zipGets()).as("the damaged zip was not used: fetched again").isEqualTo(2);
        assertThat(cached).hasBinaryContent(zip);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
