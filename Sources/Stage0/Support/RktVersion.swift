enum RktVersion {
    static let version = "0.1.0"
    static let appcVersion = "0.8.11"
}
