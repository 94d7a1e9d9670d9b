package dev.modelreg.testkit;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** htpasswd lines in the only form distribution's htpasswd auth accepts: bcrypt ({@code $2y$}). */
final class Htpasswd {
    private Htpasswd() {}

    static String line(String user, String password) {
        if (user.contains(":")) throw new IllegalArgumentException("htpasswd user must not contain ':': " + user);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5) + "\n";
    }
}
