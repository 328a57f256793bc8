"""Times joblib.Memory on the same machine as the Go benchmarks: a hit and a
miss of a function returning the benchmarks' Result shape, on a file cache.
Prints {"Hit": ns, "Miss": ns}: medians over repeated runs."""
import json, statistics, tempfile, time

from joblib import Memory


def result(name, n):
    return {"Name": f"{name}-{n}", "Score": 0.93, "Tags": ["alpha", "beta", "gamma", "delta", "epsilon"],
            "Counts": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}}


def main():
    with tempfile.TemporaryDirectory() as d:
        memory = Memory(d, verbose=0)
        score = memory.cache(result)
        score("sample", 42)
        hits = []
        for _ in range(7):
            start = time.perf_counter_ns()
            for _ in range(200):
                score("sample", 42)
            hits.append((time.perf_counter_ns() - start) / 200)
        misses = []
        n = 0
        for _ in range(7):
            start = time.perf_counter_ns()
            for _ in range(50):
                n += 1
                score("sample", n)
            misses.append((time.perf_counter_ns() - start) / 50)
    print(json.dumps({"Hit": statistics.median(hits), "Miss": statistics.median(misses)}))


main()
