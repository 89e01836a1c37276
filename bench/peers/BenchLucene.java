// Peer: Apache Lucene 8 (Debian liblucene8-java), EnglishAnalyzer, positions, stored text, one writer.
//
//   java BenchLucene index DIR UNITS.tsv
//   java BenchLucene search DIR QUERIES.lucene.tsv REPEAT LATENCIES.tsv
//
// UNITS.tsv: id<TAB>kind<TAB>year<TAB>text (bench/prepare.py).  RAM buffer 256 MB,
// forceMerge(1) and commit at the end (as ../shared/bench/PeerLucene.java).
// Queries (bench/queries.py): qid<TAB>set<TAB>query<TAB>kind<TAB>ylo<TAB>yhi; the query
// goes through the classic QueryParser (default operator AND); a kind becomes a FILTER
// TermQuery, a year range a FILTER IntPoint range.  One untimed warm-up pass (the JIT
// needs it), then REPEAT timed passes, top 10 with their stored text.  Writes
// qid<TAB>set<TAB>ms per run, and (untimed) qid<TAB>count to LATENCIES.tsv.counts.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.FSDirectory;

public class BenchLucene {
  public static void main(String[] a) throws Exception {
    if (a[0].equals("index")) index(a[1], a[2]);
    else search(a[1], a[2], Integer.parseInt(a[3]), a[4]);
  }

  static void index(String dir, String units) throws Exception {
    IndexWriterConfig cfg = new IndexWriterConfig(new EnglishAnalyzer());
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    cfg.setRAMBufferSizeMB(256);
    long n = 0, bytes = 0, t0 = System.nanoTime();
    try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), cfg);
         BufferedReader r = Files.newBufferedReader(Paths.get(units), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", 4);
        int year = Integer.parseInt(f[2]);
        Document d = new Document();
        d.add(new StringField("id", f[0], Field.Store.YES));
        d.add(new StringField("kind", f[1], Field.Store.YES));
        d.add(new IntPoint("year", year));
        d.add(new StoredField("year", year));
        d.add(new TextField("body", f[3], Field.Store.YES));
        w.addDocument(d);
        n++;
        bytes += f[3].getBytes(StandardCharsets.UTF_8).length;
      }
      w.forceMerge(1);
      w.commit();
    }
    double t = (System.nanoTime() - t0) / 1e9;
    System.err.printf("lucene: %d clauses, %.1f MB in %.2f s = %.2f MB/s%n", n, bytes / 1e6, t, bytes / 1e6 / t);
  }

  static Query build(QueryParser qp, String[] f) throws Exception {
    Query text = qp.parse(f[2]);
    if (f[3].isEmpty() && f[4].isEmpty()) return text;
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST);
    if (!f[3].isEmpty()) b.add(new TermQuery(new Term("kind", f[3])), BooleanClause.Occur.FILTER);
    if (!f[4].isEmpty())
      b.add(IntPoint.newRangeQuery("year", Integer.parseInt(f[4]), Integer.parseInt(f[5])), BooleanClause.Occur.FILTER);
    return b.build();
  }

  static void search(String dir, String queries, int repeat, String out) throws Exception {
    IndexSearcher s = new IndexSearcher(DirectoryReader.open(FSDirectory.open(Paths.get(dir))));
    QueryParser qp = new QueryParser("body", new EnglishAnalyzer());
    qp.setDefaultOperator(QueryParser.Operator.AND);
    List<String[]> qs = new ArrayList<>();
    for (String l : Files.readAllLines(Paths.get(queries), StandardCharsets.UTF_8))
      if (!l.isBlank()) qs.add(Arrays.copyOf(l.split("\t", -1), 6));
    long sink = 0;
    for (String[] f : qs) sink += run(s, build(qp, f));                 // warm-up, untimed
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Paths.get(out)))) {
      for (int i = 0; i < repeat; i++)
        for (String[] f : qs) {
          long t0 = System.nanoTime();
          int hits = run(s, build(qp, f));                                 // parse + search + texts
          double ms = (System.nanoTime() - t0) / 1e6;
          w.printf(Locale.ROOT, "%s\t%s\t%.4f\t%d%n", f[0], f[1], ms, hits);
          sink += hits;
        }
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Paths.get(out + ".counts")))) {
      for (String[] f : qs) w.printf("%s\t%d%n", f[0], s.count(build(qp, f)));
    }
    if (sink < 0) System.err.println(sink);
  }

  static int run(IndexSearcher s, Query q) throws IOException {
    TopDocs td = s.search(q, 10);
    int n = 0;
    for (ScoreDoc sd : td.scoreDocs) n += s.doc(sd.doc).get("body").isEmpty() ? 0 : 1;
    return n;
  }
}
