package dev.modelreg.spec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The reversible mapping of git refs onto OCI tags. See spec/README.md, "Ref to tag mapping".
 *
 * <p>Bytes of the ref's UTF-8 form in {@code [A-Za-z0-9.-]} are kept, except a leading '.' or '-'; every other
 * byte (including '_' itself) becomes '_' followed by two lowercase hex digits. So "develop" and "v6.5.0" are
 * their own tags, "feature/x" is "feature_2fx" and "my_branch" is "my_5fbranch". Every tag this gives matches
 * {@link #TAG}; tags longer than 128 characters are refused. {@link #fromTag} accepts exactly the tags
 * {@link #toTag} produces.
 */
public final class RefTags {
    private RefTags() {}

    /** The OCI distribution-spec tag grammar. */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    public static final int MAX_TAG_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The tag for a git ref. @throws IllegalArgumentException naming the ref if it is empty, a digest or too long */
    public static String toTag(String gitRef) {
        if (gitRef == null || gitRef.isEmpty()) {
            throw new IllegalArgumentException("empty git ref has no tag");
        }
        if (Digest.isDigest(gitRef)) {
            throw new IllegalArgumentException("ref '" + gitRef + "' is a digest, not a tag: resolve it by digest");
        }
        StringBuilder sb = new StringBuilder(gitRef.length());
        byte[] bytes = gitRef.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (kept(b) && !(i == 0 && (b == '.' || b == '-'))) {
                sb.append((char) b);
            } else {
                sb.append('_').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        if (sb.length() > MAX_TAG_LENGTH) {
            throw new IllegalArgumentException("ref '" + gitRef + "' maps to a " + sb.length()
                    + "-character tag; OCI tags are at most " + MAX_TAG_LENGTH);
        }
        return sb.toString();
    }

    /** The git ref a tag stands for. @throws IllegalArgumentException naming the tag if toTag cannot give it */
    public static String fromTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid OCI tag");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(tag.length());
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c != '_') {
                out.write(c);
                continue;
            }
            int hi = i + 2 < tag.length() ? Character.digit(tag.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(tag.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw notOurs(tag, "'_' must be followed by two hex digits");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        String ref;
        try {
            ref = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw notOurs(tag, "escapes do not form UTF-8 text");
        }
        if (ref.isEmpty() || Digest.isDigest(ref) || !tag.equals(toTag(ref))) {
            throw notOurs(tag, "not in canonical form (escape only what must be escaped, lowercase hex)");
        }
        return ref;
    }

    private static boolean kept(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '-';
    }

    private static IllegalArgumentException notOurs(String tag, String why) {
        return new IllegalArgumentException("tag '" + tag + "' is not a modelreg ref tag: " + why);
    }
}
