package example;

import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.consumer.Results.VerifyResult;
import dev.modelreg.consumer.Settings;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The README's Java API example: {@code PublishAndConsume MODELS_DIR WORK_DIR}. */
public final class PublishAndConsume {
    private PublishAndConsume() {}

    public static void main(String[] args) throws IOException {
        run(Path.of(args[0]), Path.of(args[1]));
    }

    // README:begin
    /** Publishes a model repository into a local OCI image layout, then consumes one model from it, verified. */
    public static CopyResult run(Path models, Path work) throws IOException {
        // publish: index MODELS (a model is a directory with an mfsim.nam) and push it as one OCI artifact
        Reference layout = Reference.parse("oci-layout:" + work.resolve("layout").toAbsolutePath());
        Push.Result pushed = Push.run(Push.Request.builder(models, layout.withTag("demo"))
                .name("example").ref("demo")
                .registry(RegistryOptions.fromEnvironment()) // the credentials the command line would use
                .build());
        System.out.println("pushed " + pushed.reference());

        // consume: one source that reads that layout (a registry works the same: "ghcr.io/org/models")
        SourceConfig source = SourceConfig.builder("example").oci(layout).refs(List.of("demo")).build();
        ModelReg reg = new ModelReg(new BootstrapConfig(Map.of("example", source)),
                Settings.fromEnvironment().withCacheRoot(work.resolve("cache")));
        for (SyncResult r : reg.sync("example", "demo", false)) {
            System.out.println(r.name() + "@" + r.ref() + " " + r.status() + " " + r.digest());
        }
        reg.list("example", null).forEach(l -> System.out.println(l.models()));
        CopyResult copied = reg.copy("example/ex-gwf-twri01", work.resolve("twri01"), true);
        VerifyResult check = reg.verify("example/ex-gwf-twri01", copied.workspace());
        if (!check.ok()) throw new IllegalStateException("workspace changed: " + check.mismatches());
        // a pin: the manifest digest, good forever (and offline once cached)
        reg.copy("example@" + pushed.digest() + "/ex-gwf-twri01", work.resolve("pinned"), true);
        return copied;
    }
    // README:end
}
