package io.rcproxy.proxy.tls;

import io.rcproxy.proxy.config.InvalidConfigException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Checks that a PKCS#8 PEM private key belongs to the first certificate of a PEM chain, by signing a few
 * bytes with the key and verifying them with the certificate. Building a TLS context does not check this,
 * and a mismatched pair (a rotation caught between the certificate and the key being written) would fail
 * every handshake until the next reload. Stateless.
 */
final class KeyPairCheck {

    private static final byte[] PROBE = "redis-cluster-proxy key check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /**
     * @throws InvalidConfigException naming {@code certKey} when the certificate does not parse, or
     *                                {@code keyKey} when the key does not fit it
     */
    static void check(File certFile, String certKey, File keyFile, String keyKey) {
        X509Certificate cert;
        try (FileInputStream in = new FileInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new InvalidConfigException(certKey + ": " + certFile + " holds no PEM certificate: " + e.getMessage());
        }
        try {
            PrivateKey key = privateKey(keyFile);
            if (key == null) {
                return; // not a plain PKCS#8 key: left to the TLS provider, which reads more formats
            }
            PublicKey publicKey = cert.getPublicKey();
            String algorithm = switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> key.getAlgorithm(); // Ed25519, Ed448
            };
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new InvalidConfigException(keyKey + ": " + keyFile + " is not the key of the certificate in "
                        + certFile);
            }
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new InvalidConfigException(keyKey + ": " + keyFile + " does not fit the certificate in " + certFile
                    + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(File keyFile) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile.toPath(), StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            return null;
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String type : new String[] {"EC", "RSA", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(spec);
            } catch (GeneralSecurityException wrongType) {
                // try the next
            }
        }
        throw new InvalidConfigException("not a PKCS#8 EC, RSA or EdDSA private key");
    }
}
