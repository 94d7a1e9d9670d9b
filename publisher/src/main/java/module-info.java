/**
 * Publishing model repositories: index a tree into models.toml ({@link dev.modelreg.publisher.MakeRegistry}) and push
 * it as one OCI artifact, model image or CNCF ModelPack per ref ({@link dev.modelreg.publisher.Push}).
 */
module dev.modelreg.publisher {
    requires transitive dev.modelreg.content;
    requires com.google.cloud.tools.jib;
    requires com.google.cloud.tools.jib.api.buildplan;

    exports dev.modelreg.publisher;
}
