import numpy as np
import pytest

from bot.nlp.embedding_classifier import EmbeddingClassifier, train


def points(rng, centre, n):
    return centre + 0.1 * rng.standard_normal((n, len(centre)))


@pytest.mark.parametrize("labels", [("a", "b"), ("a", "b", "c")])
def test_a_trained_classifier_separates_its_labels_and_survives_a_save(tmp_path, labels):
    rng = np.random.default_rng(0)
    centres = np.eye(len(labels), 8)
    vectors = np.vstack([points(rng, centre, 30) for centre in centres])
    classifier = train(vectors, [label for label in labels for _ in range(30)])
    classifier.save(tmp_path / "c.npz")
    loaded = EmbeddingClassifier.load(tmp_path / "c.npz")
    probabilities = loaded.probabilities(centres)
    assert loaded.labels == labels
    assert list(probabilities.argmax(axis=1)) == list(range(len(labels)))
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_two_labels_give_the_probabilities_scikit_learn_gives():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    vectors, labels = rng.standard_normal((60, 5)), ["x" if i % 2 else "y" for i in range(60)]
    ours = train(vectors, labels).probabilities(vectors)
    theirs = LogisticRegression(C=4.0, max_iter=5000, class_weight="balanced").fit(vectors, labels).predict_proba(vectors)
    assert np.allclose(ours, theirs, atol=1e-5)


def test_a_hidden_layer_learns_what_a_linear_reader_cannot_and_survives_a_save(tmp_path):
    rng = np.random.default_rng(2)
    corners = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    vectors = np.vstack([points(rng, corner, 40) for corner in corners])
    labels = ["same"] * 80 + ["different"] * 80  # the sign of x times y: no straight line separates them
    linear = train(vectors, labels)
    perceptron = train(vectors, labels, hidden_units=16)
    perceptron.save(tmp_path / "p.npz")
    loaded = EmbeddingClassifier.load(tmp_path / "p.npz")

    def accuracy(classifier):
        predicted = np.array(classifier.labels)[classifier.probabilities(vectors).argmax(axis=1)]
        return float(np.mean(predicted == np.array(labels)))

    assert accuracy(linear) < 0.8
    assert accuracy(loaded) > 0.95
    assert np.allclose(loaded.probabilities(vectors), perceptron.probabilities(vectors))


def test_member_perceptrons_are_averaged_and_survive_a_save(tmp_path):
    rng = np.random.default_rng(3)
    centres = np.eye(3, 6)
    vectors = np.vstack([points(rng, centre, 20) for centre in centres])
    labels = [label for label in "abc" for _ in range(20)]
    averaged = train(vectors, labels, hidden_units=8, members=3)
    averaged.save(tmp_path / "m.npz")
    loaded = EmbeddingClassifier.load(tmp_path / "m.npz")
    members = [EmbeddingClassifier(loaded.labels, loaded.weights[i:i + 1], loaded.bias[i:i + 1],
                                   loaded.hidden_weights[i:i + 1], loaded.hidden_bias[i:i + 1]) for i in range(3)]
    probes = rng.standard_normal((10, 6))
    each = [member.probabilities(probes) for member in members]
    assert not np.allclose(each[0], each[1])  # different random starts
    assert np.allclose(loaded.probabilities(probes), np.mean(each, axis=0), atol=1e-6)
    assert np.allclose(loaded.probabilities(probes), averaged.probabilities(probes))
