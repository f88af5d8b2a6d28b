/// A disk handed to the VMM, in guest order.
struct VMDisk: Equatable {
    var path: String
    var readOnly: Bool

    var argument: String { readOnly ? path + ",ro" : path }
}
