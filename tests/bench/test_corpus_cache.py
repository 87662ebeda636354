"""bench.corpus_cache builds the corpus where `make bench` looks for it, once."""
from bench import corpus_cache, harness


def test_builds_the_cached_corpus_once_where_the_benchmark_looks(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "CACHE_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BENCH_STORIES", "40")
    monkeypatch.setenv("BENCH_SEED", "3")
    generated = []

    def generate(self, url):
        generated.append(url)
        open(url.removeprefix("sqlite:///"), "w").close()

    monkeypatch.setattr(harness.BenchDatabase, "generate", generate)
    corpus_cache.main()
    corpus_cache.main()

    expected = harness.BenchDatabase(40, 3).cache_file
    assert expected.parent == tmp_path and expected.name.startswith("corpus-n40_s3_g")
    assert expected.exists()
    assert generated == [f"sqlite:///{expected}.partial"]
