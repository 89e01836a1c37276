// Peer for ranking quality: Apache Lucene 8 (Debian liblucene8-java), EnglishAnalyzer,
// BM25Similarity (k1 1.2, b 0.75, Lucene's defaults), classic QueryParser with OR.
//
//   java RankLucene DIR UNITS.tsv QUERIES.tsv > RUN
//
// Indexes UNITS.tsv (id<TAB>text) into a new index in DIR, runs every query of
// QUERIES.tsv (qid<TAB>text, escaped: no operators) and prints the top 1,000 as a TREC run.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.FSDirectory;

public class RankLucene {
  public static void main(String[] a) throws Exception {
    EnglishAnalyzer an = new EnglishAnalyzer();
    IndexWriterConfig cfg = new IndexWriterConfig(an);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    cfg.setRAMBufferSizeMB(256);
    try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(a[0])), cfg);
         BufferedReader r = Files.newBufferedReader(Paths.get(a[1]), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", 2);
        Document d = new Document();
        d.add(new StringField("id", f[0], Field.Store.YES));
        d.add(new TextField("body", f[1], Field.Store.NO));
        w.addDocument(d);
      }
      w.forceMerge(1);
      w.commit();
    }
    IndexSearcher s = new IndexSearcher(DirectoryReader.open(FSDirectory.open(Paths.get(a[0]))));
    QueryParser qp = new QueryParser("body", an);
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    for (String line : Files.readAllLines(Paths.get(a[2]), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 2);
      if (f.length < 2 || f[1].isBlank()) continue;
      Query q = qp.parse(QueryParser.escape(f[1]));
      int rank = 1;
      for (ScoreDoc sd : s.search(q, 1000).scoreDocs)
        out.printf("%s Q0 %s %d %.6f lucene%n", f[0], s.doc(sd.doc).get("id"), rank++, sd.score);
    }
    out.flush();
  }
}
