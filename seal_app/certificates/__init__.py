"""The seal itself: the office's decision on each application, released for a whole round at
once; later the written feedback, the certificate and its public verification."""
