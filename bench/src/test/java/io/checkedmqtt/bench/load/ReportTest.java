package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Medians, ratios, targets and the written table and chart of a comparison. */
class ReportTest {

    private static String line(final String broker, final int round, final String result) {
        return broker + "\t" + round + "\tRESULT " + result;
    }

    private static final List<String> RAW = List.of(
            line("checked-mqtt", 1, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=300.0 lost=0 dup=0 ooo=0 errors=0"),
            line("mosquitto", 1, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=200.0 lost=0 dup=0 ooo=0 errors=0"),
            line("checked-mqtt", 2, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=100.0 lost=0 dup=0 ooo=0 errors=0"),
            line("mosquitto", 2, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=200.0 lost=0 dup=0 ooo=0 errors=0"),
            line("checked-mqtt", 3, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=250.0 lost=0 dup=1 ooo=0 errors=0"),
            line("mosquitto", 3, "scenario=pairs n=1 qos=1 payload=64 mqtt=3.1.1 rate=0 msgs_per_s=100.0 lost=0 dup=0 ooo=0 errors=0"),
            line("checked-mqtt", 1, "scenario=latency n=1 qos=1 payload=64 mqtt=3.1.1 rate=20000 p50_us=10.0 p99_us=140.0 p999_us=300.0 max_us=900.0 lost=0 dup=0 ooo=0 errors=0"),
            line("mosquitto", 1, "scenario=latency n=1 qos=1 payload=64 mqtt=3.1.1 rate=20000 p50_us=10.0 p99_us=100.0 p999_us=300.0 max_us=900.0 lost=0 dup=0 ooo=0 errors=0"),
            "# mosquitto\t2\tno result for conn -n 10000");

    @Test
    @DisplayName("the median of an odd and of an even number of values")
    void median() {
        assertEquals(2.0, Report.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Report.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(Report.median(List.of())));
    }

    @Test
    @DisplayName("rows hold the medians per broker, the ratio, and errors summed over runs")
    void rows() {
        final List<Report.Row> rows = Report.rows(RAW);
        final Report.Row pairs = rows.get(0);
        assertEquals("pairs n=1 QoS 1 64 B", pairs.scenario());
        assertEquals(250.0, pairs.ourMedian());
        assertEquals(200.0, pairs.theirMedian());
        assertEquals(1.25, pairs.ratio(), 1e-9);
        assertEquals(1, pairs.ourErrors());
        assertEquals("**not met**", pairs.verdict()); // faster, but a duplicate fails the target
        final Report.Row p99 = rows.get(1);
        assertEquals("p99 latency (µs)", p99.metric());
        assertEquals(1.4, p99.ratio(), 1e-9);
        assertEquals("met", p99.verdict()); // within 1.5 × Mosquitto
        assertEquals(1 / 1.4, p99.advantage(), 1e-9);
    }

    @Test
    @DisplayName("the Markdown table has one line per row; the SVG is well-formed XML with one bar per headline row")
    void written() throws Exception {
        final List<Report.Row> rows = Report.rows(RAW);
        final Map<String, String> info = new LinkedHashMap<>();
        info.put("name", "test");
        info.put("machine", "a <small> box");
        final String md = Report.markdown(rows, info);
        assertTrue(md.contains("| pairs n=1 QoS 1 64 B | msgs/s delivered | 250.0 | 200.0 | 1.25 | ≥ 1.00 | **not met** | 3/3 | 1/0 |"), md);
        assertEquals(rows.size(), md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Scenario")).count());
        final String svg = Report.svg(rows, "a & b");
        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        // background + one bar for the throughput row + one for p99 latency
        final org.w3c.dom.NodeList rects = doc.getElementsByTagName("rect");
        assertEquals(3, rects.getLength());
        // log scale around the 1× line: 1.25× better starts at the line, 1.4× worse ends at it
        double one = Double.NaN;
        final org.w3c.dom.NodeList lines = doc.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            final org.w3c.dom.Element l = (org.w3c.dom.Element) lines.item(i);
            if ("#000".equals(l.getAttribute("stroke"))) {
                one = Double.parseDouble(l.getAttribute("x1"));
            }
        }
        final org.w3c.dom.Element better = (org.w3c.dom.Element) rects.item(1);
        final org.w3c.dom.Element worse = (org.w3c.dom.Element) rects.item(2);
        assertEquals(one, Double.parseDouble(better.getAttribute("x")), 0.1);
        assertEquals(one, Double.parseDouble(worse.getAttribute("x")) + Double.parseDouble(worse.getAttribute("width")), 0.2);
        final double unit = Double.parseDouble(better.getAttribute("width")) / (Math.log(1.25) / Math.log(2));
        assertEquals(Math.log(1.4) / Math.log(2) * unit, Double.parseDouble(worse.getAttribute("width")), 0.5);
    }

    @Test
    @DisplayName("conn runs of a fresh and of a warmed broker are separate rows; only the warmed one has the target, only the fresh one the memory")
    void connPhases() {
        final String conn = "scenario=conn n=10000 qos=0 payload=0 mqtt=3.1.1 rate=0 lost=0 dup=0 ooo=0 errors=0 ";
        final List<Report.Row> rows = Report.rows(List.of(
                line("checked-mqtt", 1, conn + "phase=fresh conn_per_s=600.0 kib_per_conn=2.00 cpu_us_per_conn=90.0"),
                line("mosquitto", 1, conn + "phase=fresh conn_per_s=1000.0 kib_per_conn=0.50 cpu_us_per_conn=45.0"),
                line("checked-mqtt", 1, conn + "phase=warmed conn_per_s=1100.0 kib_per_conn=0.00 cpu_us_per_conn=40.0"),
                line("mosquitto", 1, conn + "phase=warmed conn_per_s=1000.0 kib_per_conn=0.00 cpu_us_per_conn=50.0")));
        assertEquals(List.of("conn n=10000, fresh broker", "conn n=10000, fresh broker", "conn n=10000, fresh broker",
                        "conn n=10000, warmed broker", "conn n=10000, warmed broker"),
                rows.stream().map(Report.Row::scenario).toList());
        assertEquals(List.of("connections/s", "broker CPU per connection (µs)", "RSS per idle connection (KiB)",
                        "connections/s", "broker CPU per connection (µs)"),
                rows.stream().map(Report.Row::metric).toList());
        assertEquals("", rows.get(0).verdict());
        assertEquals(0.6, rows.get(0).ratio(), 1e-9);
        assertEquals(2.0, rows.get(1).ratio(), 1e-9);
        assertEquals(4.0, rows.get(2).ratio(), 1e-9);
        assertEquals("met", rows.get(3).verdict());
        assertEquals(1.25, rows.get(4).advantage(), 1e-9); // 40 µs against 50: 1.25 times better
        // the chart shows both rates: grey without a target, green for the target met
        final String svg = Report.svg(rows, "conn");
        assertTrue(svg.contains("fill=\"#8a8a8a\"") && svg.contains("fill=\"#3a7d44\"") && !svg.contains("#c0392b"), svg);
    }

    @Test
    @DisplayName("a raw line without broker and round is rejected")
    void badLine() {
        assertThrows(IllegalArgumentException.class, () -> Report.rows(List.of("RESULT scenario=pairs")));
    }

    @Test
    @DisplayName("RESULT lines read back to the same pairs")
    void resultRoundTrip() {
        final Result r = new Result().put("scenario", "pairs").put("n", 10).put("msgs_per_s", 1234.56).put("label", "a b");
        final Result back = Result.parse("noise " + r.toLine());
        assertEquals(r.values(), back.values());
        assertEquals("1234.6", back.get("msgs_per_s"));
        assertEquals("a_b", back.get("label"));
    }

    @Test
    @DisplayName("utime + stime are read from /proc/PID/stat text, a command name with spaces and parentheses included")
    void cpu() {
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 123 45 0 0 20 0 30 0 1 2 3";
        assertEquals((123 + 45) * 10, BrokerProcess.parseCpu(stat));
        assertEquals(-1, BrokerProcess.cpuMillis(0));
        assertTrue(BrokerProcess.cpuMillis(ProcessHandle.current().pid()) >= 0);
    }

    @Test
    @DisplayName("VmRSS is read from /proc/PID/status text")
    void rss() {
        assertEquals(16_000, BrokerProcess.parseRss("Name:\tmosquitto\nVmPeak:\t  20000 kB\nVmRSS:\t   16000 kB\n"));
        assertEquals(-1, BrokerProcess.parseRss("Name:\tx\n"));
        assertEquals(-1, BrokerProcess.rssKibibytes(0));
    }
}
