package io.rcproxy.proxy.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Docker, compose and Kubernetes files cannot be run where the tests run, so this checks that they
 * parse and agree with the code: ports, environment variable names, health paths, the jar's name and
 * the config file's path. A rename in the code that the packaging files miss fails here.
 */
class PackagingFilesTest {

    /** The metrics port agreed for the metrics/health endpoint, used until its key is in reference.conf. */
    private static final int AGREED_METRICS_PORT = 9121;

    private static Path root;
    private static Config reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findProjectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker/Dockerfile"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no docker/Dockerfile above " + Path.of("").toAbsolutePath());
        root = dir;
        reference = ConfigFactory.parseResources(PackagingFilesTest.class.getClassLoader(), "reference.conf");
    }

    private static int listenPort() {
        return reference.getInt("proxy.listen.port");
    }

    private static int metricsPort() {
        return reference.hasPath("proxy.metrics.port") ? reference.getInt("proxy.metrics.port") : AGREED_METRICS_PORT;
    }

    private static String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative));
    }

    private static List<Object> yamlDocuments(Path file) throws IOException {
        List<Object> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static Map<String, Object> yaml(String relative) throws IOException {
        List<Object> documents = yamlDocuments(root.resolve(relative));
        assertEquals(1, documents.size(), relative + ": one YAML document expected");
        return map(documents.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a list, got " + o);
        return (List<Object>) o;
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object o = m;
        for (String key : path) {
            o = map(o).get(key);
            assertNotNull(o, "missing " + String.join(".", path) + " (at " + key + ")");
        }
        return o;
    }

    private static String shadedJarName() throws IOException {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(read("proxy-server/pom.xml"));
        assertTrue(m.find(), "no finalName in proxy-server/pom.xml");
        return m.group(1) + ".jar";
    }

    @Test
    void everyYamlFileUnderDockerParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root.resolve("docker"))) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList();
        }
        assertTrue(files.size() >= 5, "expected compose, prometheus and three k8s files, found " + files);
        for (Path file : files) {
            List<Object> documents = yamlDocuments(file);
            assertFalse(documents.isEmpty(), file + " is empty");
            for (Object document : documents) {
                assertTrue(document instanceof Map, file + ": top level is not a mapping");
            }
        }
    }

    @Test
    void dockerfileExposesTheDefaultPortsAndRunsTheShadedJar() throws IOException {
        String dockerfile = read("docker/Dockerfile");
        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(dockerfile);
        assertTrue(expose.find(), "no EXPOSE");
        assertEquals(Set.of(String.valueOf(listenPort()), String.valueOf(metricsPort())),
                Set.of(expose.group(1).trim().split("\\s+")));
        String jar = shadedJarName();
        assertTrue(dockerfile.contains("COPY --from=build /src/proxy-server/target/" + jar + " /app/" + jar),
                "the COPY of the jar does not name " + jar);
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.+)]$").matcher(dockerfile);
        assertTrue(entrypoint.find(), "no exec-form ENTRYPOINT");
        assertTrue(entrypoint.group(1).endsWith("\"-jar\", \"/app/" + jar + "\""), entrypoint.group(1));
        assertTrue(entrypoint.group(1).contains("-XX:MaxRAMPercentage="), entrypoint.group(1));
        assertTrue(entrypoint.group(1).contains("-XX:+ExitOnOutOfMemoryError"), entrypoint.group(1));
        // The buffer budget and the largest value follow from the direct-memory limit: it must be explicit.
        assertTrue(entrypoint.group(1).contains("-XX:MaxDirectMemorySize="), entrypoint.group(1));
        assertTrue(dockerfile.contains("CMD [\"--bind\", \"0.0.0.0\"]"), "default CMD must bind all interfaces");
        assertTrue(Pattern.compile("(?m)^USER\\s+\\d+").matcher(dockerfile).find(), "must run as a numeric non-root user");
        Matcher health = Pattern.compile("(?m)^HEALTHCHECK .*\\n?.*(/health/live).*$").matcher(dockerfile);
        assertTrue(health.find(), "HEALTHCHECK must probe /health/live");
        assertTrue(dockerfile.contains("/dev/tcp/127.0.0.1/" + metricsPort()), "HEALTHCHECK must use the metrics port");
    }

    /** The words of the exec-form ENTRYPOINT, unquoted. */
    private static List<String> entrypointWords(String dockerfile) {
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.+)]$").matcher(dockerfile);
        assertTrue(entrypoint.find(), "no exec-form ENTRYPOINT");
        List<String> words = new ArrayList<>();
        for (String word : entrypoint.group(1).split(",")) {
            String trimmed = word.trim();
            assertTrue(trimmed.startsWith("\"") && trimmed.endsWith("\""), "not a quoted word: " + trimmed);
            words.add(trimmed.substring(1, trimmed.length() - 1));
        }
        return words;
    }

    @Test
    void dockerfileTrainsTheClassDataArchiveTheEntrypointMaps() throws IOException {
        String dockerfile = read("docker/Dockerfile");
        String jar = "/app/" + shadedJarName();
        List<String> entrypoint = entrypointWords(dockerfile);
        List<String> archives = entrypoint.stream().filter(w -> w.startsWith("-XX:SharedArchiveFile=")).toList();
        assertEquals(1, archives.size(), "the ENTRYPOINT must map one class-data archive: " + entrypoint);
        String archive = archives.get(0).substring("-XX:SharedArchiveFile=".length());
        List<String> runtimeFlags = new ArrayList<>(entrypoint.subList(1, entrypoint.indexOf("-jar")));
        runtimeFlags.remove(archives.get(0));

        // The training RUN: scripts/cds-archive.sh JAR ARCHIVE FLAGS..., its backslash-continued lines joined.
        String joined = dockerfile.replaceAll("\\s*\\\\\\n\\s*", " ");
        Matcher training = Pattern.compile("(?m)^RUN .*?bash (\\S+) (\\S+) (\\S+)((?: -\\S+)+)").matcher(joined);
        assertTrue(training.find(), "no RUN of the class-data training script");
        String script = training.group(1);
        assertTrue(script.endsWith("/cds-archive.sh"), script);
        assertTrue(dockerfile.contains("COPY scripts/cds-archive.sh " + script), "the training script is not copied in");
        assertTrue(Files.isRegularFile(root.resolve("scripts/cds-archive.sh")));
        assertEquals(jar, training.group(2), "the archive must be trained on the jar the ENTRYPOINT runs");
        assertEquals(archive, training.group(3), "the ENTRYPOINT maps a different archive than the one written");
        // An archive made with other flags (compressed oops, for one) is refused at start-up.
        assertEquals(runtimeFlags, List.of(training.group(4).trim().split("\\s+")),
                "the training run must use the ENTRYPOINT's JVM flags");
        // The archive belongs to the runtime image's JVM, so it must be written in the last stage.
        assertTrue(training.start() > joined.lastIndexOf("\nFROM "), "the training must run in the runtime stage");
    }

    @Test
    void runLocalMapsTheArchiveItTrainsWithItsOwnFlags() throws IOException {
        String script = read("scripts/run-local.sh");
        assertTrue(script.contains("scripts/cds-archive.sh \"$jar\" \"$archive\" \"${jvm_flags[@]}\""),
                "run-local.sh must train the archive with the flags it runs the proxy with");
        assertTrue(script.contains("-XX:SharedArchiveFile=\"$archive\""), "run-local.sh does not map the archive");
        assertTrue(script.contains("exec java \"${jvm_flags[@]}\" -jar \"$jar\" --seeds 127.0.0.1:7001,"),
                "run-local.sh must start the proxy with those flags against the local cluster");
    }

    @Test
    void environmentVariablesInPackagingFilesAreOnesTheLoaderReads() throws IOException {
        Set<String> used = new TreeSet<>();
        Pattern variable = Pattern.compile("\\bPROXY_[A-Z_]+\\b");
        for (String file : List.of("docker/Dockerfile", "docker/docker-compose.yml", "docker/k8s/deployment.yaml",
                "docker/README.md", "README.md")) {
            Matcher m = variable.matcher(read(file));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertTrue(used.containsAll(Set.of("PROXY_BIND", "PROXY_PASSWORD", "PROXY_METRICS_BIND", "PROXY_SEEDS")), 
                used.toString());
        for (String name : used) {
            assertTrue(ProxyConfigLoader.ENVIRONMENT_KEYS.containsKey(name), name + " is not read by ProxyConfigLoader");
        }
    }

    @Test
    void readmeDocumentsEveryEnvironmentVariable() throws IOException {
        String readme = read("README.md");
        for (Map.Entry<String, String> e : ProxyConfigLoader.ENVIRONMENT_KEYS.entrySet()) {
            assertTrue(readme.contains("| `" + e.getKey() + "` | `" + e.getValue() + "`"),
                    "README.md has no table row for " + e.getKey());
        }
    }

    @Test
    void composeWiresTheProxyToTheClusterAndPrometheus() throws IOException {
        Map<String, Object> compose = yaml("docker/docker-compose.yml");
        Map<String, Object> services = map(compose.get("services"));
        Map<String, Object> proxy = map(services.get("proxy"));
        Map<String, Object> build = map(proxy.get("build"));
        Path context = root.resolve("docker").resolve((String) build.get("context")).normalize();
        assertEquals(root, context);
        assertTrue(Files.isRegularFile(context.resolve((String) build.get("dockerfile"))));
        List<String> ports = list(proxy.get("ports")).stream().map(String::valueOf).toList();
        assertTrue(ports.contains("127.0.0.1:" + listenPort() + ":" + listenPort()), ports.toString());
        assertTrue(ports.contains("127.0.0.1:" + metricsPort() + ":" + metricsPort()), ports.toString());
        Map<String, Object> env = map(proxy.get("environment"));
        assertEquals("0.0.0.0", env.get("PROXY_BIND"));
        // Seeds must be addresses the nodes announce.
        Set<String> announced = new TreeSet<>();
        int nodes = 0;
        for (Map.Entry<String, Object> service : services.entrySet()) {
            if (service.getKey().startsWith("redis-")) {
                nodes++;
                List<Object> command = list(map(service.getValue()).get("command"));
                int i = command.indexOf("--cluster-announce-ip");
                assertTrue(i > 0, service.getKey() + " announces no address");
                String ip = (String) command.get(i + 1);
                assertEquals(ip, at(map(service.getValue()), "networks", "cluster", "ipv4_address"));
                announced.add(ip + ":6379");
            }
        }
        assertEquals(10, nodes, "5 masters and 5 replicas");
        for (String seed : ((String) env.get("PROXY_SEEDS")).split(",")) {
            assertTrue(announced.contains(seed), seed + " is not an announced node address");
        }
        String create = String.valueOf(list(map(services.get("cluster-create")).get("command")).get(0));
        for (String address : announced) {
            assertTrue(create.contains(address), "cluster-create leaves out " + address);
        }
        Map<String, Object> prometheus = map(services.get("prometheus"));
        assertEquals(List.of("monitoring"), prometheus.get("profiles"));
        assertTrue(Files.isRegularFile(root.resolve("docker/prometheus.yml")));
        assertTrue(Files.isRegularFile(root.resolve("docker/redis-node.conf")));
    }

    @Test
    void prometheusScrapesTheProxysMetricsPath() throws IOException {
        Map<String, Object> job = map(list(yaml("docker/prometheus.yml").get("scrape_configs")).get(0));
        assertEquals("/metrics", job.get("metrics_path"));
        Object targets = map(list(job.get("static_configs")).get(0)).get("targets");
        assertEquals(List.of("proxy:" + metricsPort()), targets);
    }

    @Test
    void kubernetesSidecarMatchesTheCode() throws IOException {
        Map<String, Object> deployment = yaml("docker/k8s/deployment.yaml");
        Map<String, Object> pod = map(at(deployment, "spec", "template"));
        Map<String, Object> annotations = map(at(pod, "metadata", "annotations"));
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(metricsPort()), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        Map<String, Object> proxy = null;
        for (Object c : list(at(pod, "spec", "containers"))) {
            if ("redis-cluster-proxy".equals(map(c).get("name"))) {
                proxy = map(c);
            }
        }
        assertNotNull(proxy, "no redis-cluster-proxy container");
        assertEquals(2, list(at(pod, "spec", "containers")).size(), "an app container and the sidecar");

        assertEquals("/health/live", at(proxy, "livenessProbe", "httpGet", "path"));
        assertEquals("/health/ready", at(proxy, "readinessProbe", "httpGet", "path"));
        assertEquals(metricsPort(), at(proxy, "livenessProbe", "httpGet", "port"));
        assertEquals(metricsPort(), at(proxy, "readinessProbe", "httpGet", "port"));
        assertEquals(metricsPort(), map(list(proxy.get("ports")).get(0)).get("containerPort"));
        assertNotNull(at(proxy, "resources", "requests", "memory"));
        assertNotNull(at(proxy, "resources", "limits", "memory"));

        String secretName = null;
        String secretKey = null;
        for (Object e : list(proxy.get("env"))) {
            Map<String, Object> env = map(e);
            String name = (String) env.get("name");
            if (name.equals("PROXY_BIND")) {
                assertEquals("127.0.0.1", env.get("value"), "the sidecar's RESP port stays inside the pod");
            }
            if (name.equals("PROXY_METRICS_BIND")) {
                assertEquals("0.0.0.0", env.get("value"), "the kubelet probes the pod IP");
            }
            if (name.equals("PROXY_PASSWORD")) {
                secretName = (String) at(env, "valueFrom", "secretKeyRef", "name");
                secretKey = (String) at(env, "valueFrom", "secretKeyRef", "key");
            }
        }
        Map<String, Object> secret = yaml("docker/k8s/secret.yaml");
        assertEquals("Secret", secret.get("kind"));
        assertEquals(secretName, at(secret, "metadata", "name"));
        assertTrue(map(secret.get("stringData")).containsKey(secretKey), "secret has no key " + secretKey);

        // --config names the file the ConfigMap volume puts in the container.
        List<Object> args = list(proxy.get("args"));
        String configPath = (String) args.get(args.indexOf("--config") + 1);
        Map<String, Object> mount = null;
        for (Object m : list(proxy.get("volumeMounts"))) {
            if (configPath.startsWith(map(m).get("mountPath") + "/")) {
                mount = map(m);
            }
        }
        assertNotNull(mount, "no volume mounted above " + configPath);
        Map<String, Object> volume = null;
        for (Object v : list(at(pod, "spec", "volumes"))) {
            if (map(v).get("name").equals(mount.get("name"))) {
                volume = map(v);
            }
        }
        assertNotNull(volume, "no volume " + mount.get("name"));
        Map<String, Object> configMapRef = map(volume.get("configMap"));
        Map<String, Object> item = map(list(configMapRef.get("items")).get(0));
        assertEquals(configPath, mount.get("mountPath") + "/" + item.get("path"));
        Map<String, Object> configMap = yaml("docker/k8s/configmap.yaml");
        assertEquals("ConfigMap", configMap.get("kind"));
        assertEquals(configMapRef.get("name"), at(configMap, "metadata", "name"));
        String conf = (String) map(configMap.get("data")).get(item.get("key"));
        assertNotNull(conf, "the ConfigMap has no key " + item.get("key"));

        // The embedded file loads with the pod's environment, and its port is the one the app uses.
        Path file = tmp.resolve("proxy.conf");
        Files.writeString(file, conf);
        ProxyConfig loaded = ProxyConfigLoader.load(Map.of(), file.toFile(),
                Map.of("PROXY_BIND", "127.0.0.1", "PROXY_PASSWORD", "x"));
        assertEquals(listenPort(), loaded.port());
        assertEquals("127.0.0.1", loaded.bind());
    }

    @Test
    void theExampleConfigFileLoads() throws IOException {
        ProxyConfig loaded = ProxyConfigLoader.load(Map.of(), root.resolve("conf/proxy.conf").toFile(), Map.of());
        assertEquals(listenPort(), loaded.port());
        String text = read("conf/proxy.conf");
        for (String key : List.of("metrics", "port = " + metricsPort(), "grace-period = 10s", "password")) {
            assertTrue(text.contains(key), "conf/proxy.conf does not mention " + key);
        }
    }

    @Test
    void dockerignoreKeepsTheSourcesInTheContext() throws IOException {
        List<String> rules = read(".dockerignore").lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(rules.contains("**/target"), rules.toString());
        for (String needed : List.of("pom.xml", "cluster-client", "proxy-server", "proxy-server/src", "*")) {
            assertFalse(rules.contains(needed), needed + " must stay in the build context");
        }
    }
}
