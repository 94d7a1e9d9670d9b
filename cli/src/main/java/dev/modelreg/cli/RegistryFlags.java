package dev.modelreg.cli;

import dev.modelreg.content.RegistryOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to reach registries: flags shared by every command that talks to one (they override the environment). */
public final class RegistryFlags {
    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Extra CA certificates (PEM) for TLS registries (also MODELREG_CA_FILE).")
    Path caFile;

    @Option(names = "--plain-http",
            description = "Use plain HTTP for registries not on loopback (loopback always is; also MODELREG_PLAIN_HTTP=1).")
    boolean plainHttp;

    /** The registry options of the environment {@code env}, with these flags applied. */
    RegistryOptions options(java.util.Map<String, String> env) {
        return apply(RegistryOptions.fromEnvironment(env));
    }

    RegistryOptions apply(RegistryOptions o) {
        if (caFile != null) o = o.withCaFile(caFile);
        if (plainHttp) o = o.withPlainHttp(Boolean.TRUE);
        return o;
    }
}
