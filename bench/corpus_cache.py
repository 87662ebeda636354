"""Build the benchmark's cached corpus ahead of `make bench`, without running the benchmark.

`make corpus` (or `python -m bench.corpus_cache`) generates BENCH_STORIES (100,000) stories from
BENCH_SEED (1) where `make bench` and `make loadtest` look for them: a SQLite file under
BENCH_CACHE_DIR, or, with DATABASE_URL naming a PostgreSQL server, a template database
newsroom_corpus_n<stories>_s<seed>_g<generator>. A corpus already cached is left as it is.
"""
from bench import harness


def main():
    stories, seed = harness.env_int("BENCH_STORIES", 100_000), harness.env_int("BENCH_SEED", 1)
    db = harness.BenchDatabase(stories, seed).cache()
    where = db.cache_name if db.vendor == "postgresql" else db.cache_file
    harness.log(f"{stories:,}-story corpus (seed {seed}) cached: {where}")
    if db.generation:
        harness.log(db.generation)


if __name__ == "__main__":
    main()
