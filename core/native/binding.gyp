{
  # collabopt's native training kernels (see core/native/README.md). Portable flags only: the AVX2
  # code paths are compiled per function (target attributes) and chosen at run time, so the
  # binary runs on any x86-64 (and builds on other architectures with the scalar paths).
  "targets": [
    {
      "target_name": "collabopt_native",
      "sources": [
        "src/addon.cc",
        "src/threadPool.cc",
        "src/gemm.cc",
        "src/conv.cc",
        "src/depthwise.cc",
        "src/reduce.cc",
        "src/pool.cc",
        "src/batchNorm.cc",
        "src/batchNormTraining.cc",
        "src/fakeQuant.cc",
        "src/fakeQuantSymmetric.cc",
        "src/activationGrad.cc",
        "src/optimizerUpdate.cc",
        "src/cluster.cc"
      ],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-O2", "-O0", "-std=gnu++1y", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-fvisibility=hidden", "-Wall", "-Wno-unused-function"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/O2"] } }
    }
  ]
}
