package dev.modelreg.content.auth;

import dev.modelreg.content.ContentException;
import java.util.List;

/** Finds the credential for a registry host (and repository), or says where it looked. */
public interface CredentialSource {
    /** The credential found, or null with the places looked in (for the "no credentials" message). */
    record Lookup(Credential credential, List<String> lookedIn) {
        public Lookup {
            lookedIn = List.copyOf(lookedIn);
        }

        public boolean found() {
            return credential != null;
        }
    }

    Lookup find(String host, String repository) throws ContentException;

    /** Anonymous access everywhere. */
    CredentialSource NONE = (host, repository) -> new Lookup(null, List.of());

    /** The same credential for every registry (explicit user/password, or a bearer token with an empty user). */
    static CredentialSource fixed(Credential c) {
        return (host, repository) -> new Lookup(c, List.of(c.source()));
    }
}
