extension ValidationException {
    /// The answer AWS gives to a request that breaks the model's constraints: reason
    /// FIELD_VALIDATION_FAILED (CANNOT_PARSE for a body that is not JSON of the right shape) and one
    /// field per issue.
    public init(failure: ValidationFailure) {
        self.init(
            message: failure.description,
            reason: failure.code == .malformedBody ? .cannotParse : .fieldValidationFailed,
            fields: failure.issues.map { ValidationExceptionField(name: $0.field, message: $0.message) })
    }
}
