package dev.modelreg.spec;

/**
 * One {@code [files]} entry of models.toml. {@code hash} is null for release-zip registries that carry no
 * hashes; {@code url} and {@code path} are optional (null when absent).
 */
public record FileEntry(Digest hash, String url, String path) {
    public static FileEntry ofHash(Digest hash) {
        return new FileEntry(hash, null, null);
    }
}
