import Foundation

/// The golden files beside the exchange tests (`Tests/CRMExchangeTests/Golden`).
let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Golden")
