package dev.modelreg.content.http;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one TLS trust: the system's CAs, plus the certificates of a CA file (PEM) when one is given. One socket
 * factory per CA file content, shared by every request of the JVM (TLS sessions are resumed across them).
 */
final class Tls {
    private static final Map<String, SSLSocketFactory> FACTORIES = new ConcurrentHashMap<>();

    private Tls() {}

    /** The socket factory for {@code caFile}, or null for the JDK's default (system CAs only). */
    static SSLSocketFactory factory(Path caFile) throws ContentException {
        if (caFile == null) return null;
        byte[] pem;
        try {
            pem = Files.readAllBytes(caFile);
        } catch (IOException e) {
            throw new ContentException(ContentException.Kind.INVALID, "cannot read CA file " + caFile + ": " + e.getMessage());
        }
        String key = Digest.sha256Of(pem).toString();
        SSLSocketFactory f = FACTORIES.get(key);
        if (f == null) {
            f = build(caFile, pem);
            SSLSocketFactory raced = FACTORIES.putIfAbsent(key, f);
            if (raced != null) f = raced;
        }
        return f;
    }

    private static SSLSocketFactory build(Path caFile, byte[] pem) throws ContentException {
        try {
            List<X509Certificate> extra = new ArrayList<>();
            try (InputStream in = new java.io.ByteArrayInputStream(pem)) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) extra.add((X509Certificate) c);
            }
            if (extra.isEmpty()) throw new CertificateException("no PEM certificate in it");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < extra.size(); i++) ks.setCertificateEntry("extra-" + i, extra.get(i));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Either(trustManager(ks), trustManager(null))}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ContentException(ContentException.Kind.INVALID, "cannot use CA file " + caFile + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager t : f.getTrustManagers()) if (t instanceof X509TrustManager x) return x;
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server chain that the extra CAs or the system CAs accept. */
    private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
