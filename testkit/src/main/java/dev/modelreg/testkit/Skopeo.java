package dev.modelreg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real {@code /usr/bin/skopeo} (Debian package skopeo, 1.9.x) as an independent OCI client: every call is
 * bounded (120 s) and a non-zero exit throws an AssertionError with skopeo's stderr. Copies use a private
 * accept-anything signature policy, so no /etc/containers/policy.json is needed.
 */
public final class Skopeo {
    /** Where the skopeo binary must be. */
    public static final String BINARY = "/usr/bin/skopeo";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static Path policy;

    private Skopeo() {}

    /** {@code skopeo inspect --raw}: the manifest bytes (as text) of {@code docker://REF}; "docker://" is optional. */
    public static String inspectRaw(String dockerRef, boolean tlsVerify) {
        return inspectRaw(dockerRef, tlsVerify, List.of());
    }

    /** Like {@link #inspectRaw(String, boolean)} with extra flags such as {@code --creds u:p} or {@code --cert-dir D}. */
    public static String inspectRaw(String dockerRef, boolean tlsVerify, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "inspect", "--raw", "--tls-verify=" + tlsVerify));
        cmd.addAll(extraArgs);
        cmd.add(dockerRef.startsWith("docker://") ? dockerRef : "docker://" + dockerRef);
        return run(cmd);
    }

    /** {@code skopeo inspect --raw} of a local transport reference ({@code oci:DIR:NAME}, {@code oci-archive:FILE:NAME}). */
    public static String inspectRawLocal(String ref) {
        return run(new ArrayList<>(List.of(binary().toString(), "inspect", "--raw", ref)));
    }

    /** {@code skopeo copy SRC DST} with transports spelled out (docker://..., oci:DIR:TAG, dir:...). Returns stdout. */
    public static String copy(String src, String dst) {
        return copy(src, dst, List.of());
    }

    /** {@code skopeo copy EXTRA... SRC DST}, e.g. extra {@code --src-tls-verify=false}. Returns stdout. */
    public static String copy(String src, String dst, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--policy", policy().toString(), "copy"));
        cmd.addAll(extraArgs);
        cmd.add(src);
        cmd.add(dst);
        return run(cmd);
    }

    /**
     * The flags skopeo needs to talk to {@code registry}: TLS verification off for plain HTTP, credentials in auth
     * modes, the CA directory in TLS mode. {@code side} is "" (inspect), "src" or "dest" (copy).
     */
    public static List<String> flagsFor(RegistryFixture registry, String side) {
        String p = switch (side) {
            case "" -> "--";
            case "src", "dest" -> "--" + side + "-";
            default -> throw new IllegalArgumentException("side must be \"\", \"src\" or \"dest\": " + side);
        };
        List<String> flags = new ArrayList<>();
        if (registry.mode() == RegistryFixture.Mode.TLS_BASIC_AUTH) {
            flags.add(p + "cert-dir=" + registry.caFile().getParent());
        } else {
            flags.add(p + "tls-verify=false");
        }
        if (registry.username() != null) flags.add(p + "creds=" + registry.username() + ":" + registry.password());
        return flags;
    }

    private static Path binary() {
        return Tools.require(BINARY, "skopeo");
    }

    private static String run(List<String> cmd) {
        Tools.Result r = Tools.run(cmd, TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError("skopeo failed (exit " + r.exitCode() + "): " + String.join(" ", redact(cmd))
                    + "\n" + r.stderr().strip());
        }
        return r.stdout();
    }

    private static List<String> redact(List<String> cmd) {
        return cmd.stream().map(a -> a.matches("--(src-|dest-)?creds=.*") ? a.replaceAll(":[^:]*$", ":***") : a).toList();
    }

    private static synchronized Path policy() {
        if (policy == null) {
            try {
                Path p = Files.createTempFile("modelreg-skopeo-policy-", ".json");
                Files.writeString(p, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
                p.toFile().deleteOnExit();
                policy = p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a skopeo policy file", e);
            }
        }
        return policy;
    }
}
