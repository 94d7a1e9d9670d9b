package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one credential resolver against the real registry with basic auth: a docker config holding only
 * {@code credHelpers} (a fake {@code docker-credential-*} helper in PATH), {@code credsStore}, {@code auths} keys in
 * their several spellings, DOCKER_CONFIG over HOME, REGISTRY_AUTH_FILE, and the two failure messages.
 */
class CredentialsTest {
    @TempDir static Path tmp;
    static RegistryFixture registry;
    static OciReference ref;
    static Blobs.Artifact art;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryFixture.start(RegistryFixture.Mode.BASIC_AUTH, tmp.resolve("reg"));
        ref = OciReference.parse(registry.host() + "/models/creds");
        art = Blobs.artifact(51, 1);
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        art.pushTo(src);
        src.tag(art.root(), "v1");
        Copy.copy(src, "v1", RegistryStore.connect(ref, RegistryOptions.defaults().withCredentials(registry.username(),
                registry.password())), "v1", CopyOptions.defaults());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** A fake helper: logs the server it was asked for, answers with the registry's credentials (or not found). */
    static Path helper(String name, boolean knows) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + name));
        Path log = tmp.resolve(name + ".log");
        String answer = knows
                ? "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + registry.username() + "\",\"Secret\":\"" + registry.password() + "\"}' \"$server\""
                : "echo 'credentials not found in native keychain'; exit 1";
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nserver=$(cat)\necho \"$server\" >> " + log + "\n" + answer + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("HOME", tmp.resolve("empty-home").toString());
        m.put("PATH", "/usr/bin:/bin");
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static Path config(String dir, String json) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Files.writeString(d.resolve("config.json"), json);
        return d;
    }

    static void resolves(Map<String, String> env) throws IOException {
        assertThat(RegistryStore.connect(ref, RegistryOptions.fromEnvironment(env)).resolve("v1")).isEqualTo(art.root());
    }

    @Test
    void aConfigWithOnlyCredHelpersRunsTheHelper() throws IOException {
        Path bin = helper("fake", true);
        Path dc = config("helpers-only", "{\"credHelpers\":{\"" + registry.host() + "\":\"fake\"}}");
        resolves(env("DOCKER_CONFIG", dc.toString(), "PATH", bin + ":/usr/bin:/bin"));
        assertThat(Files.readString(tmp.resolve("fake.log")).trim()).isEqualTo(registry.host());
    }

    @Test
    void credsStoreIsTheHelperForEveryHostAndAHelperWithoutAnAnswerFallsThrough() throws IOException {
        Path bin = helper("store", true);
        resolves(env("DOCKER_CONFIG", config("store", "{\"credsStore\":\"store\"}").toString(), "PATH", bin.toString()));
        Path none = helper("none", false);
        String auth = Base64.getEncoder().encodeToString((registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
        resolves(env("DOCKER_CONFIG", config("store-then-auths", "{\"credsStore\":\"none\",\"auths\":{\"http://" + registry.host()
                + "/v2/\":{\"auth\":\"" + auth + "\"}}}").toString(), "PATH", none.toString()));
    }

    @Test
    void dockerConfigComesBeforeHomeAndTheContainersAuthFileIsRead() throws IOException {
        String good = Base64.getEncoder().encodeToString((registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
        String bad = Base64.getEncoder().encodeToString((registry.username() + ":wrong").getBytes(StandardCharsets.UTF_8));
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + bad + "\"}}}");
        Path dc = config("docker-config", "{\"auths\":{\"https://" + registry.host() + "\":{\"auth\":\"" + good + "\"}}}");
        resolves(env("HOME", home.toString(), "DOCKER_CONFIG", dc.toString()));
        assertThatThrownBy(() -> resolves(env("HOME", home.toString())))
                .hasMessageStartingWith("credentials for " + registry.host() + " from " + home.resolve(".docker/config.json")
                        + " (auths: " + registry.host() + ") were rejected");
        Path authFile = Files.writeString(tmp.resolve("auth.json"), "{\"auths\":{\"" + registry.host() + "/models\":{\"auth\":\"" + good + "\"}}}");
        resolves(env("REGISTRY_AUTH_FILE", authFile.toString()));
    }

    @Test
    void missingAndRejectedCredentialsSayWhichAndWhere() throws IOException {
        Path dc = config("nothing", "{\"auths\":{}}");
        assertThatThrownBy(() -> resolves(env("DOCKER_CONFIG", dc.toString(), "XDG_RUNTIME_DIR", tmp.resolve("run").toString())))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                .hasMessage("authentication required by " + registry.host() + " for tag 'v1': no credentials for " + registry.host()
                        + " (looked in MODELREG_REGISTRY_USER/MODELREG_REGISTRY_PASSWORD, " + dc.resolve("config.json") + ", "
                        + tmp.resolve("run/containers/auth.json") + ", " + tmp.resolve("empty-home/.config/containers/auth.json") + ")");
        assertThatThrownBy(() -> resolves(env("MODELREG_REGISTRY_USER", registry.username(), "MODELREG_REGISTRY_PASSWORD", "not-it")))
                .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                .hasMessageStartingWith("credentials for " + registry.host() + " from MODELREG_REGISTRY_USER were rejected")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-it"));
        Path missingHelper = config("missing-helper", "{\"credHelpers\":{\"" + registry.host() + "\":\"absent\"}}");
        assertThatThrownBy(() -> resolves(env("DOCKER_CONFIG", missingHelper.toString())))
                .hasMessageContaining("credential helper docker-credential-absent")
                .hasMessageContaining("is not in PATH");
    }
}
