package io.rcproxy.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test client for the proxy's metrics and health listener, and a reader for Prometheus text format. */
public final class AdminHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A status and a body. */
    record Response(int status, String body) {
    }

    /** One sample line: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private AdminHttp() {
    }

    static Response get(int port, String path) {
        return send(port, path, "GET");
    }

    static Response send(int port, String path, String method) {
        return send(port, path, method, null);
    }

    /** GET with {@code Authorization: Bearer <token>}. */
    static Response getWithToken(int port, String path, String token) {
        return send(port, path, "GET", token);
    }

    private static Response send(int port, String path, String method, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every sample of a text-format 0.0.4 page. */
    static List<Sample> parse(String page) {
        List<Sample> samples = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(series.substring(brace));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            samples.add(new Sample(name, labels, value));
        }
        return samples;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}; NaN if none. */
    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet())) {
                return sample.value();
            }
        }
        return Double.NaN;
    }

    static double value(List<Sample> samples, String name) {
        return value(samples, name, Map.of());
    }

    public static double metric(int port, String name, Map<String, String> labels) {
        return value(parse(get(port, "/metrics").body()), name, labels);
    }
}
