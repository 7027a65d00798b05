"""The linear intent classifier: trains, ranks, survives a save and load, and leaves empty messages alone."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer

from components.intent_classifier import LinearIntentClassifier, NgramBlock
from components.sentence_features import SentenceEncoderFeaturizer

EXAMPLES = {
    "greet": ["hi", "hello there", "hey", "good morning", "hey bot", "hiya"],
    "goodbye": ["bye", "see you later", "gotta go", "goodbye", "later", "talk to you tomorrow"],
    "share_interest": ["i like drawing", "i love animals", "i'm into video games", "i enjoy cooking",
                       "i really like music", "building things is fun"],
}


def featurized(*texts, intents=None):
    messages = [Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
                for text, intent in zip(texts, intents or [None] * len(texts), strict=True)]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    featurizer = SentenceEncoderFeaturizer("sentence_features", {**SentenceEncoderFeaturizer.get_default_config()})
    return featurizer.process(messages)


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def trained(storage, **config):
    classifier = LinearIntentClassifier.create({**LinearIntentClassifier.get_default_config(), **config}, storage,
                                               Resource("intents"), ExecutionContext(None, node_name="intents"))
    texts = [text for examples in EXAMPLES.values() for text in examples]
    intents = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    classifier.train(TrainingData(featurized(*texts, intents=intents)))
    return classifier


def test_ranks_unseen_messages_by_meaning(storage):
    classifier = trained(storage)
    hello, leaving, hobby = classifier.process(featurized("hello hello", "ok bye for now", "i like painting a lot"))
    assert [m.get(INTENT)["name"] for m in (hello, leaving, hobby)] == ["greet", "goodbye", "share_interest"]
    ranking = hobby.get(INTENT_RANKING_KEY)
    assert [entry["name"] for entry in ranking][0] == "share_interest"
    assert len(ranking) == 3
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)
    assert ranking == sorted(ranking, key=lambda entry: -entry["confidence"])


def test_a_larger_c_gives_sharper_probabilities(storage):
    def confidence(classifier):
        return classifier.process(featurized("hello there bot"))[0].get(INTENT)["confidence"]

    assert confidence(trained(storage, C=100.0)) > confidence(trained(storage, C=0.1))


def test_loads_what_it_saved(storage):
    classifier = trained(storage)
    loaded = LinearIntentClassifier.load({**LinearIntentClassifier.get_default_config()}, storage,
                                         Resource("intents"), ExecutionContext(None, node_name="intents"))
    messages = featurized("see you later", "i like drawing comics")
    np.testing.assert_allclose(loaded.probabilities(messages), classifier.probabilities(messages))


def test_ranking_length_cuts_the_ranking(storage):
    [message] = trained(storage, ranking_length=2).process(featurized("hey"))
    assert len(message.get(INTENT_RANKING_KEY)) == 2


def test_a_blank_message_gets_no_intent_at_confidence_zero_so_the_fallback_answers_it(storage):
    # Left without an intent, Rasa's REST channel sent back an empty reply to "" and "   ".
    blank, empty = trained(storage).process([Message(data={TEXT: "   "}), Message(data={TEXT: ""})])
    for message in (blank, empty):
        assert message.get(INTENT) == {"name": None, "confidence": 0.0}
        assert message.get(INTENT_RANKING_KEY) == []


def test_ngram_rows_have_unit_length_and_unknown_words_give_zeros():
    block = NgramBlock("word", (1, 2))
    block.fit_transform(["i like art", "i like music a lot"])
    rows = block.transform(["i like art", "zzz qqq"]).toarray()
    assert np.linalg.norm(rows[0]) == pytest.approx(1.0)
    assert not rows[1].any()


@pytest.mark.parametrize(("analyzer", "ngrams"), [("word", (1, 2)), ("char_wb", (1, 4))])
def test_ngram_rows_are_scikit_learns_sublinear_tf_idf(analyzer, ngrams):
    corpus = [text for examples in EXAMPLES.values() for text in examples]
    block = NgramBlock(analyzer, ngrams)
    block.fit_transform(corpus)
    pattern = {"token_pattern": r"(?u)\b\w+\b"} if analyzer == "word" else {}
    reference = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, **pattern).fit(corpus)
    unseen = ["hey i like drawing animals", "bye bye bye", "zzz", "", "Music, MUSIC and more music"]
    assert block.vocabulary == reference.get_feature_names_out().tolist()
    np.testing.assert_allclose(block.transform(unseen).toarray(), reference.transform(unseen).toarray(), atol=1e-12)
    # the vectorizer built for the vocabulary is reused, and gives the same rows the second time
    np.testing.assert_allclose(block.transform(unseen).toarray(), reference.transform(unseen).toarray(), atol=1e-12)
