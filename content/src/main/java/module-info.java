/**
 * Content stores and the one copy between them: the capabilities a store has ({@code dev.modelreg.content}: Fetcher,
 * Pusher, Storage, Target, ... and {@link dev.modelreg.content.Copy}, {@link dev.modelreg.content.Mirror}), the stores
 * ({@code dev.modelreg.content.store}: a registry repository, an OCI image layout, an OCI archive, the blob cache) and
 * registry credentials ({@code dev.modelreg.content.auth}). Files, tar, HTTP and bounded child processes are shared with modelreg's
 * publisher and consumer only.
 */
module dev.modelreg.content {
    requires transitive dev.modelreg.spec;

    exports dev.modelreg.content;
    exports dev.modelreg.content.store;
    exports dev.modelreg.content.auth;
    exports dev.modelreg.content.fs to dev.modelreg.publisher, dev.modelreg.consumer;
    exports dev.modelreg.content.tar to dev.modelreg.publisher, dev.modelreg.consumer;
    exports dev.modelreg.content.http to dev.modelreg.publisher, dev.modelreg.consumer;
    exports dev.modelreg.content.proc to dev.modelreg.publisher, dev.modelreg.consumer;
}
