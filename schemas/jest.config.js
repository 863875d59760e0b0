module.exports = require('../jest.preset').tiers();
