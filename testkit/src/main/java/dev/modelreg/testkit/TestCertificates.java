package dev.modelreg.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 / localhost (SAN IP 127.0.0.1, DNS localhost), generated
 * in pure Java (EC P-256). Files: {@code ca/ca.crt} (the CA, PEM, alone in its directory so that directory works
 * as a containers/skopeo {@code --cert-dir}), {@code server/server.crt} (server + CA chain, PEM) and
 * {@code server/server.key} (PKCS#8 PEM).
 */
public final class TestCertificates {
    private final Path caFile;
    private final Path certFile;
    private final Path keyFile;

    private TestCertificates(Path caFile, Path certFile, Path keyFile) {
        this.caFile = caFile;
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /** Generates a fresh CA and server certificate into {@code dir} (created if missing). */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair caKeys = gen.generateKeyPair();
            KeyPair serverKeys = gen.generateKeyPair();
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(2)));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=modelreg test CA");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, random).abs().add(BigInteger.ONE),
                    notBefore, notAfter, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, new BigInteger(64, random).abs().add(BigInteger.ONE),
                    notBefore, notAfter, new X500Name("CN=127.0.0.1"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate serverCert = sign(server, caKeys);

            Path caFile = Files.createDirectories(dir.resolve("ca")).resolve("ca.crt");
            Path serverDir = Files.createDirectories(dir.resolve("server"));
            Path certFile = serverDir.resolve("server.crt");
            Path keyFile = serverDir.resolve("server.key");
            Files.writeString(caFile, pem(caCert), StandardCharsets.US_ASCII);
            Files.writeString(certFile, pem(serverCert, caCert), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem(serverKeys.getPrivate()), StandardCharsets.US_ASCII);
            return new TestCertificates(caFile, certFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test certificates: " + e.getMessage(), e);
        }
    }

    public Path caFile() {
        return caFile;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    /** A server-side SSLContext presenting the server certificate (for a loopback HTTPS stub). */
    public SSLContext serverContext() {
        try {
            String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
            java.util.List<Certificate> chain = new java.util.ArrayList<>();
            try (InputStream in = Files.newInputStream(certFile)) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + keyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server TLS context: " + e.getMessage(), e);
        }
    }

    /** An SSLContext that trusts exactly the CA(s) in {@code caPem} and nothing else (not the JDK's cacerts). */
    public static SSLContext trustOnly(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) throw new IllegalStateException("no certificate in " + caPem);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CA file " + caPem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext from " + caPem + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) w.writeObject(o instanceof java.security.PrivateKey k
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return sw.toString();
    }
}
