package io.rcproxy.proxy.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The image as shipped: builds it from docker/Dockerfile, starts a 3-master cluster of {@code redis:7.0}
 * containers on a private network and the proxy container in front of it, then runs commands through
 * the proxy's published port. Skipped (not failed) where no Docker engine answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class ProxyContainerIT {

    private static final DockerImageName REDIS = DockerImageName.parse("redis:7.0");
    private static final int MASTERS = 3;

    private static Network network;
    private static final List<GenericContainer<?>> nodes = new ArrayList<>();
    private static GenericContainer<?> proxy;

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker/Dockerfile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker/Dockerfile above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @BeforeAll
    @SuppressWarnings("resource") // stopped in stopAll
    static void startClusterAndProxy() throws Exception {
        network = Network.newNetwork();
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= MASTERS; i++) {
            GenericContainer<?> node = new GenericContainer<>(REDIS)
                    .withNetwork(network)
                    .withNetworkAliases("redis-" + i)
                    .withCommand("redis-server", "--cluster-enabled", "yes", "--protected-mode", "no",
                            "--save", "", "--appendonly", "no")
                    .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
            node.start();
            nodes.add(node);
            String ip = node.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next()
                    .getIpAddress();
            addresses.add(ip + ":6379");
        }
        // Nodes learn their own address from the MEETs redis-cli sends: the network addresses the proxy dials.
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        create.addAll(addresses);
        create.add("--cluster-yes");
        Container.ExecResult formed = nodes.get(0).execInContainer(create.toArray(new String[0]));
        assertEquals(0, formed.getExitCode(), formed.getStdout() + formed.getStderr());
        awaitClusterOk();

        ImageFromDockerfile image = imageFromSources(projectRoot());
        proxy = new GenericContainer<>(image)
                .withNetwork(network)
                .withEnv("PROXY_SEEDS", String.join(",", addresses))
                .withExposedPorts(6380, 9121)
                .waitingFor(Wait.forLogMessage(".*proxy listening on.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        Config reference = ConfigFactory.parseResources(ProxyContainerIT.class.getClassLoader(), "reference.conf");
        if (!reference.hasPath("proxy.metrics.bind")) {
            // Built without the metrics endpoint: the image's PROXY_METRICS_BIND would name an unknown key.
            // A blank variable counts as unset.
            proxy.withEnv("PROXY_METRICS_BIND", "");
        }
        proxy.start();
    }

    /**
     * The build context `docker build -f docker/Dockerfile .` would send, minus local build output: the
     * root pom, each module's pom and sources, and docker/. (withDockerfile(Path) would make docker/ the
     * context, but the Dockerfile builds from the repository root.)
     */
    @SuppressWarnings("deprecation") // withDockerfilePath: the only way to name a Dockerfile below the context
    private static ImageFromDockerfile imageFromSources(Path root) throws IOException {
        ImageFromDockerfile image = new ImageFromDockerfile("redis-cluster-proxy-it", true)
                .withFileFromPath("pom.xml", root.resolve("pom.xml"))
                .withFileFromPath("docker", root.resolve("docker"))
                .withDockerfilePath("docker/Dockerfile");
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (module.find()) {
            String name = module.group(1).trim();
            image.withFileFromPath(name + "/pom.xml", root.resolve(name).resolve("pom.xml"));
            image.withFileFromPath(name + "/src", root.resolve(name).resolve("src"));
        }
        return image;
    }

    private static void awaitClusterOk() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String info = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (GenericContainer<?> node : nodes) {
                info = node.execInContainer("redis-cli", "cluster", "info").getStdout();
                ok &= info.contains("cluster_state:ok");
            }
            if (ok) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("cluster not ok within 30 s:\n" + info);
    }

    @AfterAll
    static void stopAll() {
        if (proxy != null) {
            proxy.stop();
        }
        nodes.forEach(GenericContainer::stop);
        if (network != null) {
            network.close();
        }
    }

    @Test
    void setAndGetGoThroughTheProxyToEveryMaster() {
        try (RedisTestConnection c = RedisTestConnection.open(proxy.getHost(), proxy.getMappedPort(6380))) {
            for (int i = 0; i < 100; i++) {
                assertEquals("OK", c.callText("SET", "container-it:" + i, "v" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, c.callText("GET", "container-it:" + i));
            }
        }
    }

    @Test
    void theHealthEndpointAnswersWhenTheImageHasIt() throws IOException {
        Config reference = ConfigFactory.parseResources(ProxyContainerIT.class.getClassLoader(), "reference.conf");
        org.junit.jupiter.api.Assumptions.assumeTrue(reference.hasPath("proxy.metrics.port"),
                "built without the metrics/health endpoint");
        URL url = new URL("http://" + proxy.getHost() + ":" + proxy.getMappedPort(9121) + "/health/ready");
        HttpURLConnection http = (HttpURLConnection) url.openConnection();
        try (InputStream body = http.getResponseCode() < 400 ? http.getInputStream() : http.getErrorStream()) {
            assertEquals(200, http.getResponseCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            http.disconnect();
        }
    }
}
