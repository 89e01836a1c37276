// Peer for ranking quality: Xapian 1.4 used directly, as ../shared/bench/peer_xapian.cc
// (TermGenerator and QueryParser with the English stemmer, STEM_SOME), but the
// query a ranked OR of its words and BM25 k1 1.2, b 0.75 (Xapian's defaults are 1, 0.5).
//
//   rank_xapian DB UNITS.tsv QUERIES.tsv > RUN
//
// Indexes UNITS.tsv (id<TAB>text) into a new DB, runs every query of QUERIES.tsv
// (qid<TAB>text) and prints the top 1,000 as a TREC run.
#include <xapian.h>
#include <fstream>
#include <iostream>
#include <cstdio>
using namespace std;
int main(int argc, char **argv) {
  if (argc != 4) { cerr << "usage: rank_xapian DB UNITS.tsv QUERIES.tsv\n"; return 2; }
  {
    Xapian::WritableDatabase w(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg; tg.set_stemmer(Xapian::Stem("english"));
    ifstream in(argv[2]); string line;
    while (getline(in, line)) {
      size_t tab = line.find('\t');
      Xapian::Document d; tg.set_document(d); tg.index_text(line.substr(tab + 1));
      d.set_data(line.substr(0, tab));
      w.add_document(d);
    }
    w.commit();
  }
  Xapian::Database d(argv[1]); Xapian::Enquire e(d);
  e.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
  Xapian::QueryParser qp; qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(d); qp.set_default_op(Xapian::Query::OP_OR);
  ifstream in(argv[3]); string line;
  while (getline(in, line)) {
    size_t tab = line.find('\t'); string qid = line.substr(0, tab);
    // no operators: the text is natural language, as clausal's --plain reads it
    e.set_query(qp.parse_query(line.substr(tab + 1), 0));
    Xapian::MSet m = e.get_mset(0, 1000);
    int rank = 1;
    for (auto it = m.begin(); it != m.end(); ++it)
      printf("%s Q0 %s %d %.6f xapian\n", qid.c_str(), it.get_document().get_data().c_str(), rank++, it.get_weight());
  }
}
