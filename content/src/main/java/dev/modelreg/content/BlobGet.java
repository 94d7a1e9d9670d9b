package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Plain blob GETs over {@link HttpURLConnection}. On JDK 17, java.net.http's InputStream body moves a blob at
 * 0.3 GB/s on loopback (16 KiB buffers handed between threads); HttpURLConnection reads the socket on the caller's
 * thread at ~2 GB/s. {@link RegistryStore} uses this for blob downloads once oras-java has done the auth dance for
 * the pull scope; redirects and 401s are the caller's to handle (redirects are not followed here, so credentials
 * never travel to another origin by accident).
 */
final class BlobGet {
    private static final int CONNECT_TIMEOUT_MS = 30_000;

    private final Path caFile;
    private final int readTimeoutMs;
    /** Built on the first https GET: stores that never download a blob (sync, push) skip the TLS set-up. */
    private volatile SSLSocketFactory ssl;

    private BlobGet(Path caFile, Duration readTimeout) {
        this.caFile = caFile;
        this.readTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, readTimeout.toMillis()));
    }

    /**
     * TLS trusts the JDK's CAs plus those in {@code caFile} (PEM), if any. The file is read on first use; oras'
     * client, built from the same file when the store connects, has refused a bad one already.
     */
    static BlobGet create(Path caFile, Duration readTimeout) {
        return new BlobGet(caFile, readTimeout);
    }

    /** Opens a GET (no redirects followed); the caller reads the status and owns the connection. */
    HttpURLConnection open(URI uri, String authorization) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        if (caFile != null && c instanceof HttpsURLConnection https) https.setSSLSocketFactory(ssl());
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(readTimeoutMs);
        c.setUseCaches(false);
        if (authorization != null) c.setRequestProperty("Authorization", authorization);
        return c;
    }

    /** Reads and discards what is left of a response so its connection goes back to the keep-alive pool. */
    static void discard(HttpURLConnection c) {
        try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) in.readNBytes(64 << 10);
        } catch (IOException e) {
            c.disconnect();
        }
    }

    private SSLSocketFactory ssl() throws IOException {
        SSLSocketFactory f = ssl;
        if (f == null) {
            synchronized (this) {
                if (ssl == null) ssl = socketFactory(caFile);
                f = ssl;
            }
        }
        return f;
    }

    private static SSLSocketFactory socketFactory(Path caFile) throws IOException {
        try {
            List<X509Certificate> extra = new ArrayList<>();
            try (InputStream in = Files.newInputStream(caFile)) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    extra.add((X509Certificate) c);
                }
            }
            if (extra.isEmpty()) throw new CertificateException("no certificate in " + caFile);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < extra.size(); i++) ks.setCertificateEntry("extra-" + i, extra.get(i));
            X509TrustManager mine = trustManager(ks);
            X509TrustManager jdk = trustManager(null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new EitherTrustManager(mine, jdk)}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new ContentException(ContentException.Kind.INVALID, "cannot use CA file " + caFile + ": " + e.getMessage());
        }
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager t : f.getTrustManagers()) if (t instanceof X509TrustManager x) return x;
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server chain that either the extra CAs or the JDK's CAs accept. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
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
