//! imsdk-devserver: a development IM server speaking both dialects.
