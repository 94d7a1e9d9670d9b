package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Reading manifests and indexes: bounded by {@link Limits#MAX_MANIFEST_BYTES} before a byte is read, and verified. */
public final class Manifests {
    private Manifests() {}

    /** Reads {@code d} from {@code src}, verified; a descriptor over the limit is refused without reading. */
    public static byte[] read(Fetcher src, Descriptor d, String what) throws IOException {
        checkSize(d, what);
        return VerifiedRead.read(src, d, Limits.MAX_MANIFEST_BYTES, what);
    }

    /** Reads {@code in} (closed here) as the content of {@code d}, verified, within the manifest limit. */
    public static byte[] read(InputStream in, Descriptor d, String what) throws IOException {
        try (in) {
            checkSize(d, what);
            try (InputStream v = VerifyingInputStream.of(in, d, what)) {
                return v.readAllBytes();
            }
        }
    }

    private static void checkSize(Descriptor d, String what) throws ContentException {
        checkSize(d.size(), what);
    }

    /** {@link Limits#checkManifestSize} as the content layer's INVALID error. */
    public static void checkSize(long size, String what) throws ContentException {
        try {
            Limits.checkManifestSize(size, what);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** The media type of manifest bytes: its {@code mediaType} field, else index or manifest by shape. */
    public static String sniffMediaType(byte[] manifest, String what) throws ContentException {
        Object v;
        try {
            v = Json.parse(manifest);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(what + ": invalid JSON: " + e.getMessage());
        }
        if (v instanceof Map<?, ?> m) {
            if (m.get("mediaType") instanceof String s) return s;
            if (m.containsKey("manifests")) return MediaTypes.OCI_INDEX;
            if (m.containsKey("config")) return MediaTypes.OCI_MANIFEST;
        }
        throw ContentException.invalid(what + ": not a manifest");
    }
}
