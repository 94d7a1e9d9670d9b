package dev.modelreg.spec;

/**
 * One {@code [files]} entry of models.toml. {@code hash} is null for release-zip registries that carry no
 * hashes; {@code url} and {@code path} are optional (null when absent); {@code size} is the file's length in bytes,
 * null when the registry does not say (older registries, modflow-devtools').
 */
public record FileEntry(Digest hash, String url, String path, Long size) {
    public FileEntry {
        if (size != null && size < 0) throw new IllegalArgumentException("a file size cannot be negative: " + size);
    }

    /** An entry without a size. */
    public FileEntry(Digest hash, String url, String path) {
        this(hash, url, path, null);
    }

    public static FileEntry ofHash(Digest hash) {
        return new FileEntry(hash, null, null);
    }
}
