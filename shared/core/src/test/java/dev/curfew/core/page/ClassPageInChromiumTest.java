package dev.curfew.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The class page as a person sees it: Debian's headless Chromium renders the demo class's page to a PNG
 * ({@code target/class-page.png}; {@code docs/class-page.sh} puts the demo's in docs/). Every request the browser
 * makes goes to a proxy here that records it: the page makes none, while a page with one image from elsewhere is
 * caught, so the trap works.
 */
class ClassPageInChromiumTest {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CURFEW_CHROMIUM", "/usr/bin/chromium"));

    @Test
    void theDemoPageRendersAndMakesNoRequest() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        Path dir = Files.createDirectories(Path.of("target", "class-page"));
        Path html = dir.resolve("class-page.html");
        Files.writeString(html, ClassPageHtml.render(ClassPageSamples.page(true,
                ClassPageSamples.spend(Map.of("alice", 10.0, "bob", 10.0, "carol", 10.0)))));
        Path png = dir.resolve("class-page.png");
        Files.deleteIfExists(png);

        List<String> requests = shoot(html, png);

        assertThat(requests.stream().filter(r -> !browsersOwn(r)).toList()).as("requests the page made").isEmpty();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours: a page, not a blank").isGreaterThan(50);
        // the failures box is red-tinted and the chart has its green bars: the design, not just text
        assertThat(colours).anyMatch(c -> c == 0xFF1A7F37 || c == 0xFF4AC26B);
    }

    @Test
    void theTrapSeesARequestWhenAPageMakesOne() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        Path dir = Files.createDirectories(Path.of("target", "class-page"));
        Path html = dir.resolve("control.html");
        Files.writeString(html, "<!DOCTYPE html><html><body><h1>control</h1>"
                + "<img src=\"http://images.example.com/logo.png\"></body></html>");
        List<String> requests = shoot(html, dir.resolve("control.png"));
        assertThat(requests).anyMatch(r -> r.contains("images.example.com"));
        assertThat(requests.stream().filter(r -> !browsersOwn(r))).isNotEmpty();
    }

    /**
     * Chromium's own calls home, made whatever the page (seen with an empty page too: www.google.com,
     * accounts.google.com, clients2.google.com's clock); ClassPageTest forbids any URL in the page, Google's included.
     */
    static boolean browsersOwn(String request) {
        return request.matches("(CONNECT |GET http://)[a-z0-9.-]*\\.(google\\.com|gstatic\\.com|googleapis\\.com)"
                + "[:/].*");
    }

    /** Renders {@code html} to {@code png}; returns the first line of every request Chromium sent anywhere. */
    static List<String> shoot(Path html, Path png) throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket trap = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                while (!trap.isClosed()) {
                    try (Socket s = trap.accept()) {
                        s.setSoTimeout(2000);
                        requests.add(firstLine(s.getInputStream()));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Path profile = Files.createTempDirectory("curfew-chromium-");
            Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-default-apps", "--disable-sync",
                    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                    "--disable-breakpad", "--metrics-recording-only", "--safebrowsing-disable-auto-update",
                    "--disable-features=OptimizationHints,Translate,MediaRouter,NetworkTimeServiceQuerying,"
                            + "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
                    "--user-data-dir=" + profile,
                    // every request, to any host and even to this machine, goes to the trap
                    "--proxy-server=http://127.0.0.1:" + trap.getLocalPort(), "--proxy-bypass-list=<-loopback>",
                    "--window-size=1280,2200", "--screenshot=" + png.toAbsolutePath(),
                    html.toAbsolutePath().toUri().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("Chromium finished within 60 s").isTrue();
            assertThat(png).as("the screenshot").exists();
            deleteTree(profile);
        }
        return new ArrayList<>(requests);
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n' && b.length() < 500) {
            b.append((char) c);
        }
        return new String(b.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).trim();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
