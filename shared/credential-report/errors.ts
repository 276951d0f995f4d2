/** Base class: the credential report could not be fetched or read. A run that meets one acts on nothing. */
export class CredentialReportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialReportError';
  }
}

/** The report's header or a value in it is not what AWS documents. */
export class CredentialReportFormatError extends CredentialReportError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialReportFormatError';
  }
}

/** AWS did not finish the report within the time the run could spare. */
export class CredentialReportTimeoutError extends CredentialReportError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialReportTimeoutError';
  }
}
