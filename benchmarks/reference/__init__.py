"""Hand-written reference GANs for the speed benchmark (not run by the tests).

* ``keras_io_dcgan``: the keras.io "DCGAN to generate face images" style (Keras 3, TF).
* ``torch_dcgan``: the same network in PyTorch eager on the CPU (optional extra
  ``torch``; imported lazily).

Both expose ``build(image_size=32, channels=1, latent_dim=64, base_filters=64)``
and ``train_steps(n, batch_size)`` returning images/s.
"""
