// swift-tools-version:5.9
// The Swift package of imsdk: `IMSDK` (Swift, thin) over `CIMSDK` (the C library as a
// binary xcframework with a module map over include/imsdk.h).
//
// Build the xcframework first, on a Mac: `bindings/swift/scripts/build-xcframework.sh`
// writes build/CIMSDK.xcframework next to this file. To publish the package, zip the
// xcframework, upload it and replace the path with
// `.binaryTarget(name: "CIMSDK", url: "https://…/CIMSDK.xcframework.zip", checksum: "…")`
// (`swift package compute-checksum CIMSDK.xcframework.zip` prints the checksum).
import PackageDescription

let package = Package(
    name: "IMSDK",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "IMSDK", targets: ["IMSDK"]),
    ],
    targets: [
        .binaryTarget(name: "CIMSDK", path: "build/CIMSDK.xcframework"),
        .target(name: "IMSDK", dependencies: ["CIMSDK"], path: "Sources/IMSDK"),
        .testTarget(name: "IMSDKTests", dependencies: ["IMSDK", "CIMSDK"], path: "Tests/IMSDKTests"),
    ]
)
