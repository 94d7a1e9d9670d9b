package dev.modelreg.content;

import land.oras.ContainerRef;
import land.oras.auth.AuthProvider;
import land.oras.auth.AuthScheme;
import land.oras.auth.AuthStore;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;

/** Picks the oras {@link AuthProvider} for a registry from {@link RegistryOptions} (order documented there). */
final class RegistryAuth {
    private RegistryAuth() {}

    static AuthProvider forRegistry(String registry, RegistryOptions o) {
        if (o.token() != null) return new StaticBearer(o.token());
        if (o.username() != null) return new UsernamePasswordProvider(o.username(), o.password());
        String host = registry.contains(":") && !registry.startsWith("[") ? registry.substring(0, registry.indexOf(':')) : registry;
        if (o.githubToken() != null && host.equals("ghcr.io")) {
            return new UsernamePasswordProvider("modelreg", o.githubToken());
        }
        if (o.useAuthStore()) return new AuthStoreProvider();
        return new NoAuthProvider();
    }

    /** A fixed bearer token (e.g. a registry token passed on the command line). */
    record StaticBearer(String token) implements AuthProvider {
        @Override
        public String getAuthHeader(ContainerRef ref) {
            return "Bearer " + token;
        }

        @Override
        public AuthScheme getAuthScheme() {
            return AuthScheme.BEARER;
        }
    }

    /** docker config.json / containers auth.json (and credential helpers) via oras' AuthStore; anonymous if none. */
    static final class AuthStoreProvider implements AuthProvider {
        private volatile String header;
        private volatile boolean looked;

        @Override
        public String getAuthHeader(ContainerRef ref) {
            if (!looked) {
                try {
                    AuthStore.Credential c = AuthStore.newStore().get(ref);
                    if (c != null && c.username() != null && c.password() != null) {
                        header = new UsernamePasswordProvider(c.username(), c.password()).getAuthHeader(ref);
                    }
                } catch (RuntimeException e) {
                    header = null; // no usable store: anonymous
                }
                looked = true;
            }
            return header;
        }

        @Override
        public AuthScheme getAuthScheme() {
            return header == null ? AuthScheme.NONE : AuthScheme.BASIC;
        }
    }
}
