"""Builds and loads the project's spaCy pipeline.

Pretrained spaCy pipelines cannot be downloaded here, so the pipeline is a blank English tokenizer,
the lookup lemmatizer from spacy-lookups-data and an EntityRuler whose lemma patterns come from
the career catalog and the interest vocabulary in data/. Entity labels: career, school_subject,
activity; each pattern's id is "<label>:<item id>".
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from bot.careers.catalog import occupations
from bot.config import get_settings
from bot.interests.catalog import activities, school_subjects

if TYPE_CHECKING:
    from spacy.language import Language

PIPELINE_NAME = "ilp_en"
PIPELINE_VERSION = "0.1.0"


def build_pipeline(output_dir: Path | None = None) -> Path:
    import spacy  # imported here: spaCy pulls in TensorFlow, too slow for every CLI command

    output_dir = Path(output_dir or get_settings().spacy_pipeline_dir)
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data into the pipeline
    patterns = list(entity_patterns(nlp))
    nlp.add_pipe("entity_ruler", config={"validate": True}).add_patterns(patterns)
    nlp.meta.update(name=PIPELINE_NAME, version=PIPELINE_VERSION,
                    description="ILP Advisor: blank English, lookup lemmas, entity patterns from data/")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return output_dir


def entity_patterns(nlp: "Language"):
    """Yields one EntityRuler pattern per phrase, matching each word by its lemma."""
    seen: set[tuple[str, ...]] = set()

    def pattern(label: str, item_id: str, phrase: str):
        lemmas = tuple(token.lemma_ or token.lower_ for token in nlp(phrase.lower()))
        if not lemmas or lemmas in seen:
            return None
        seen.add(lemmas)
        return {"label": label, "id": f"{label}:{item_id}", "pattern": [{"LEMMA": lemma} for lemma in lemmas]}

    candidates = []
    for occupation in occupations().values():
        for phrase in (occupation.title, *occupation.aliases):
            candidates.append(("career", occupation.onet_soc, phrase))
    for item in school_subjects().values():
        for phrase in (item.label, *item.phrases):
            candidates.append(("school_subject", item.id, phrase))
    for item in activities().values():
        for phrase in item.phrases:
            candidates.append(("activity", item.id, phrase))
    for label, item_id, phrase in candidates:
        made = pattern(label, item_id, phrase)
        if made:
            yield made


@functools.lru_cache(maxsize=2)
def load_pipeline(path: str | None = None) -> "Language":
    import spacy

    path = Path(path or get_settings().spacy_pipeline_dir)
    if not (path / "meta.json").exists():
        raise FileNotFoundError(f"the spaCy pipeline is not built at {path}; run `ilp nlp build` (make does this)")
    return spacy.load(path)
