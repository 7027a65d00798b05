"""The sentence-encoder featurizer: the shapes DIET needs, and vectors that follow meaning."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ACTION_TEXT, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_features import SentenceEncoderFeaturizer

DIM = 384


@pytest.fixture
def featurizer(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return SentenceEncoderFeaturizer.create(
        SentenceEncoderFeaturizer.get_default_config(), storage, Resource("sentence_features"),
        ExecutionContext(graph_schema=None, node_name="sentence_features"))


@pytest.fixture
def tokenizer():
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def featurized(featurizer, tokenizer, *texts):
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return featurizer.process(messages)


def sentence_vector(message):
    _, sentence = message.get_dense_features(TEXT)
    return sentence.features[0]


def test_adds_a_sentence_vector_and_one_zero_row_per_token(featurizer, tokenizer):
    [message] = featurized(featurizer, tokenizer, "i want to be a nurse")
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (6, DIM)
    assert not sequence.features.any()
    assert sentence.features.shape == (1, DIM)
    assert sentence.features.dtype == np.float32
    assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-3)


def test_similar_sentences_get_closer_vectors_than_different_ones(featurizer, tokenizer):
    nurse, hospital, homework = (sentence_vector(m) for m in featurized(
        featurizer, tokenizer,
        "i want to become a nurse",
        "i'd like to work in a hospital taking care of patients",
        "when is my math homework due",
    ))
    assert float(nurse @ hospital) > float(nurse @ homework)


def test_empty_text_gets_no_features(featurizer, tokenizer):
    # CountVectorsFeaturizer adds none either, so DIET's sparse and dense rows still agree.
    [message] = featurized(featurizer, tokenizer, "   ")
    assert message.get_dense_features(TEXT) == (None, None)


def test_training_data_features_only_the_text_attribute(featurizer, tokenizer):
    examples = [Message(data={TEXT: "what jobs use biology", INTENT: "ask_careers"}),
                Message(data={ACTION_TEXT: "Here are some careers."})]
    training_data = TrainingData(training_examples=examples)
    tokenizer.process_training_data(training_data)
    featurizer.process_training_data(training_data)
    sequence, sentence = examples[0].get_dense_features(TEXT)
    assert (sequence.features.shape, sentence.features.shape) == ((4, DIM), (1, DIM))
    for message in examples:
        for attribute in (INTENT, ACTION_TEXT):
            assert message.get_dense_features(attribute) == (None, None)
