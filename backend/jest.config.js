module.exports = { ...require('../jest.preset'), testTimeout: 30000 };
