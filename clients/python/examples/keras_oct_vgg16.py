"""The study's Keras script (VGG16 on retinal OCT: CNV, DME, DRUSEN, NORMAL), reporting into Epochal.

Only the lines marked `# Epochal` differ from the original: a run is started,
the callback goes into both fit() calls (training, then fine-tuning), the
test confusion matrix is recorded, and the run is finished.

    pip install tensorflow numpy        # the script's own needs; epochal needs nothing (pip install ./clients/python)
    EPOCHAL_URL=http://127.0.0.1:4000/graphql python3 keras_oct_vgg16.py /data/OCT2017

The folder holds train/, val/ (optional) and test/, each with one folder per class.
"""
import os
import sys

import numpy as np
from tensorflow import keras

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import epochal  # Epochal

DATA = sys.argv[1] if len(sys.argv) > 1 else "OCT2017"
IMAGE_SIZE = 224
BATCH_SIZE = 32
EPOCHS = 50
FINE_TUNE_EPOCHS = 10
CONFIG = {"architecture": "VGG16", "imageSize": IMAGE_SIZE, "batchSize": BATCH_SIZE, "epochs": EPOCHS, "fineTuneEpochs": FINE_TUNE_EPOCHS,
          "learningRate": 1e-3, "fineTuneLearningRate": 1e-5, "dropout": 0.2, "augment": True, "classWeights": "balanced"}

# Augmentation as in the study: zoom 0.73-0.9, horizontal flip, 10 degree rotation, 10% shifts, darker brightness, constant fill.
train_gen = keras.preprocessing.image.ImageDataGenerator(
    preprocessing_function=keras.applications.vgg16.preprocess_input,
    zoom_range=(0.73, 0.9), horizontal_flip=True, rotation_range=10, width_shift_range=0.1, height_shift_range=0.1,
    brightness_range=(0.55, 0.9), fill_mode="constant", validation_split=0.2)
plain_gen = keras.preprocessing.image.ImageDataGenerator(preprocessing_function=keras.applications.vgg16.preprocess_input, validation_split=0.2)
flow = dict(target_size=(IMAGE_SIZE, IMAGE_SIZE), batch_size=BATCH_SIZE, class_mode="categorical")
train = train_gen.flow_from_directory(os.path.join(DATA, "train"), subset="training", shuffle=True, seed=1, **flow)
val = plain_gen.flow_from_directory(os.path.join(DATA, "train"), subset="validation", shuffle=False, seed=1, **flow)
test = keras.preprocessing.image.ImageDataGenerator(preprocessing_function=keras.applications.vgg16.preprocess_input).flow_from_directory(
    os.path.join(DATA, "test"), shuffle=False, **flow)
labels = sorted(train.class_indices, key=train.class_indices.get)

# Balanced class weights: N / (C * count(c)), to counter OCT2017's imbalance.
counts = np.bincount(train.classes, minlength=len(labels))
class_weight = {i: len(train.classes) / (len(labels) * c) for i, c in enumerate(counts)}

base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
base.trainable = False
inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
x = base(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(len(labels), activation="softmax")(x)
model = keras.Model(inputs, outputs)

callbacks = [
    keras.callbacks.ModelCheckpoint("vgg16_oct_best.keras", monitor="val_loss", save_best_only=True),
    keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0.001, patience=5, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=5),
    keras.callbacks.CSVLogger("vgg16_oct_training.csv"),
]

run = epochal.start_run("vgg16-oct", config=CONFIG, tags=["study", "keras"])  # Epochal
try:
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=EPOCHS, class_weight=class_weight,
                        callbacks=callbacks + [epochal.KerasCallback(run, log_every_n_batches=10)])  # Epochal

    # Fine-tuning: every layer trainable, a much smaller learning rate.
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="categorical_crossentropy", metrics=["accuracy"])
    first = len(history.epoch)
    model.fit(train, validation_data=val, epochs=first + FINE_TUNE_EPOCHS, initial_epoch=first, class_weight=class_weight,
              callbacks=callbacks + [epochal.KerasCallback(run, log_every_n_batches=10, phase="finetune")])  # Epochal

    predicted = np.argmax(model.predict(test), axis=1)
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for true, guess in zip(test.classes, predicted):
        matrix[true][guess] += 1
    print(matrix)
    run.record_evaluation(labels, matrix.tolist())  # Epochal
    epochal.finish_run(run)  # Epochal
except BaseException as error:
    epochal.finish_run(run, status="CANCELLED" if isinstance(error, KeyboardInterrupt) else "FAILED", error=repr(error)[:500])  # Epochal
    raise
