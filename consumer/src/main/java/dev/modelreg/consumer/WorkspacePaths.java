package dev.modelreg.consumer;

import java.util.List;

/** The path rules of a workspace: a registry file key is a safe relative path, and a model's files share a directory. */
final class WorkspacePaths {
    private WorkspacePaths() {}

    /** Refuses absolute paths, "..", empty segments and backslashes: a registry path never escapes its directory. */
    static String safeRelative(String key, String what) throws ConsumerException {
        if (key.isEmpty() || key.startsWith("/") || key.indexOf('\\') >= 0 || isDrive(key)) { // no regex: called per file
            throw new ConsumerException(what + ": unsafe path '" + key + "'");
        }
        for (int start = 0, end; start <= key.length(); start = end + 1) {
            end = key.indexOf('/', start);
            if (end < 0) end = key.length();
            int n = end - start;
            if (n == 0 || (n == 1 && key.charAt(start) == '.') || (n == 2 && key.startsWith("..", start))) {
                throw new ConsumerException(what + ": unsafe path '" + key + "'");
            }
        }
        return key;
    }

    /** {@code C:...}: a Windows drive path. */
    private static boolean isDrive(String key) {
        if (key.length() < 2 || key.charAt(1) != ':') return false;
        char c = key.charAt(0);
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** The deepest directory (with trailing '/') that contains every key; "" when they share none. */
    static String commonDir(List<String> keys) {
        String prefix = null;
        for (String k : keys) {
            int slash = k.lastIndexOf('/');
            String dir = slash < 0 ? "" : k.substring(0, slash + 1);
            if (prefix == null) {
                prefix = dir;
            } else {
                while (!dir.startsWith(prefix)) {
                    int s = prefix.lastIndexOf('/', prefix.length() - 2);
                    prefix = s < 0 ? "" : prefix.substring(0, s + 1);
                }
            }
        }
        return prefix == null ? "" : prefix;
    }
}
