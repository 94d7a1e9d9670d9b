package dev.modelreg.spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An OCI content digest: {@code algorithm ":" hex}. Only sha256 (64 hex) and sha512 (128 hex) are accepted;
 * the hex part is always lowercase.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    public Digest {
        int want = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + Text.printable(algorithm) + "'");
        };
        if (hex.length() != want || !isLowerHex(hex)) {
            throw new IllegalArgumentException(
                    "invalid " + algorithm + " digest '" + Text.printable(hex) + "': want " + want + " lowercase hex characters");
        }
    }

    /** Only 0-9 and a-f (a loop, not a regex: every digest of every file passes here). */
    private static boolean isLowerHex(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    /**
     * Written out, not the record's generated one: that one goes through an invokedynamic bootstrap and method-handle
     * chains, which a short run executes mostly interpreted, and a 5,000-file pull hashes digests some 50,000 times
     * (the cache's in-use set, plans, placements): 7% of its sampled Java time was there.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
    }

    /** The hex part's hash (an algorithm goes with its own hex length). */
    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest '" + Text.printable(text) + "': want ALGORITHM:HEX, e.g. sha256:<64 hex>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Parses either {@code sha256:<hex>} or a bare 64-character sha256 hex string (modflow-devtools' form). */
    public static Digest parseLenient(String text) {
        return text.indexOf(':') < 0 ? sha256(text) : parse(text);
    }

    public static Digest sha256(String hex) {
        return new Digest(SHA256, hex);
    }

    public static Digest sha256Of(byte[] bytes) {
        return sha256(HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance(SHA256.equals(algorithm) ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of what {@code hasher} has seen, in this digest's algorithm. */
    public Digest sameAlgorithm(MessageDigest hasher) {
        return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
