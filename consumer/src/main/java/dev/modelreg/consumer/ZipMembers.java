package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.DigestFetcher;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A release zip read in place as a read-only store for the one copy: each wanted file key is the member of that name,
 * or the first one whose path ends in {@code /KEY}; a member is found by the hash models.toml lists for its key
 * ({@link DigestFetcher}), or by its key when none is listed. Errors name the file key and the zip's URL.
 */
final class ZipMembers implements DigestFetcher, AutoCloseable {
    private final ZipFile zip;
    private final String url;
    private final String label;
    private final Map<String, ZipEntry> byKey = new LinkedHashMap<>();
    private final Map<Digest, String> keyByHash = new LinkedHashMap<>();

    private ZipMembers(ZipFile zip, String url, String label) {
        this.zip = zip;
        this.url = url;
        this.label = label;
    }

    /**
     * Opens the zip at {@code file} (fetched from {@code url}) for {@code keys}, each with its listed hash or null;
     * NOT_FOUND naming the key and the URL when one is not in it.
     */
    static ZipMembers open(Path file, String url, String label, Map<String, Digest> keys) throws IOException {
        ZipMembers m = new ZipMembers(new ZipFile(file.toFile()), url, label);
        try {
            Map<String, ZipEntry> byName = new LinkedHashMap<>();
            m.zip.stream().filter(x -> !x.isDirectory()).forEach(x -> byName.put(x.getName(), x));
            for (Map.Entry<String, Digest> k : keys.entrySet()) {
                ZipEntry ze = byName.get(k.getKey());
                if (ze == null) {
                    for (Map.Entry<String, ZipEntry> n : byName.entrySet()) {
                        if (n.getKey().endsWith("/" + k.getKey())) {
                            ze = n.getValue();
                            break;
                        }
                    }
                }
                if (ze == null) throw ConsumerException.notFound(label + ": file '" + k.getKey() + "' is not in release zip " + url);
                m.byKey.put(k.getKey(), ze);
                if (k.getValue() != null) m.keyByHash.putIfAbsent(k.getValue(), k.getKey());
            }
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The wanted keys models.toml lists a hash for, by hash. */
    List<Digest> hashes() {
        return List.copyOf(keyByHash.keySet());
    }

    /** The member of {@code key} (one of the keys it was opened for), not verified. */
    InputStream open(String key) throws IOException {
        return zip.getInputStream(byKey.get(key));
    }

    @Override
    public RangeFetcher.Fetched fetch(Digest digest, long offset) throws IOException {
        String key = keyByHash.get(digest);
        if (key == null) throw ContentException.notFound("no file with hash " + digest.hex() + " in release zip " + url);
        return new RangeFetcher.Fetched(open(key), 0); // a member is read from its start
    }

    @Override
    public String name() {
        return "release zip " + Text.printable(url);
    }

    @Override
    public String describe(Digest digest) {
        String key = keyByHash.get(digest);
        return key == null ? DigestFetcher.super.describe(digest) : describe(key);
    }

    /** How errors name the file of {@code key}: {@code file 'KEY' of LABEL (from URL)}. */
    String describe(String key) {
        return "file '" + key + "' of " + label + " (from " + url + ")";
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
