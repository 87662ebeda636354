"""How the topic box reads and writes topics: comma-separated, so “North Korea” stays one topic."""


def parse_topics(string):
    """Split on commas only (taggit's default would split "North Korea" into two topics)."""
    seen, topics = set(), []
    for part in (string or "").split(","):
        name = " ".join(part.replace('"', " ").split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            topics.append(name)
    return topics


def join_topics(tags):
    """Render topics for the box, in name order."""
    return ", ".join(sorted((t.name for t in tags), key=str.lower))
